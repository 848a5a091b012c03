package dev.yubin.delivery.mbox;

import dev.yubin.core.store.MailStore;
import dev.yubin.delivery.contract.MailboxStoreContract;
import java.nio.file.Path;

class MboxMailboxStoreContractTest extends MailboxStoreContract {
    @Override
    protected MailStore newStore(Path dir) {
        return Mboxes.store(dir);
    }

    /** An mbox file is one mailbox: INBOX only. */
    @Override
    protected boolean supportsFolders() {
        return false;
    }
}
