package dev.yubin.delivery.mbox;

import dev.yubin.core.store.MailStore;
import dev.yubin.delivery.contract.MailStoreContract;
import java.nio.file.Path;

class MboxMailStoreContractTest extends MailStoreContract {
    @Override
    protected MailStore newStore(Path dir) {
        return Mboxes.store(dir);
    }

    /** The mbox is {@code <spool>/<user name>}. */
    @Override
    protected boolean usesMailLocation() {
        return false;
    }
}
