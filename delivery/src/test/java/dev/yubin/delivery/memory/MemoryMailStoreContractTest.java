package dev.yubin.delivery.memory;

import dev.yubin.core.store.MailStore;
import dev.yubin.delivery.contract.MailStoreContract;
import java.nio.file.Path;

class MemoryMailStoreContractTest extends MailStoreContract {
    @Override
    protected MailStore newStore(Path dir) {
        return MemoryStore.create();
    }
}
