/** A JUnit 5 extension running a Yubin mail server per test class or per test. */
module dev.yubin.junit {
    requires transitive dev.yubin.mailserver;
    requires transitive org.junit.jupiter.api;
    requires static jakarta.mail;

    exports dev.yubin.junit;
    opens dev.yubin.junit to org.junit.platform.commons;
}
