package dev.yubin.delivery.maildir;

import dev.yubin.core.store.MailStore;
import dev.yubin.delivery.contract.MailboxStoreContract;
import java.nio.file.Path;

class MaildirMailboxStoreContractTest extends MailboxStoreContract {
    @Override
    protected MailStore newStore(Path dir) {
        return MaildirStore.builder().hostname("mx.example1.jp").mailRoot(dir).build();
    }

    @Override
    protected int keywordLimit() {
        return Keywords.MAX;
    }
}
