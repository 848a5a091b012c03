package dev.yubin.delivery.maildir;

import dev.yubin.core.store.MailStore;
import dev.yubin.delivery.contract.MailStoreContract;
import java.nio.file.Path;

class MaildirMailStoreContractTest extends MailStoreContract {
    @Override
    protected MailStore newStore(Path dir) {
        return MaildirStore.builder().hostname("mx.example1.jp").mailRoot(dir).build();
    }
}
