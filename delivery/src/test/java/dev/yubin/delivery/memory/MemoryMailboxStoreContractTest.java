package dev.yubin.delivery.memory;

import dev.yubin.core.store.MailStore;
import dev.yubin.delivery.contract.MailboxStoreContract;
import java.nio.file.Path;

class MemoryMailboxStoreContractTest extends MailboxStoreContract {
    @Override
    protected MailStore newStore(Path dir) {
        return MemoryStore.create();
    }

    @Override
    protected int keywordLimit() {
        return MemoryFolder.MAX_KEYWORDS;
    }
}
