package dev.yubin.junit;

import dev.yubin.mailserver.MailServer.Service;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a mail server for the annotated test class (and its {@code @Nested} classes), the annotation style of
 * {@link MailServerExtension}:
 *
 * <pre>
 * &#64;WithMailServer(domains = "example.test", users = {"abe:secret", "kato:secret"})
 * class SignupMailTest {
 *     &#64;Test
 *     void sendsAWelcome(MailServer server, Session session) throws Exception { … }
 * }
 * </pre>
 *
 * <p>A {@code @Nested} class without its own annotation shares the enclosing class's server; one with its own gets
 * its own server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@ExtendWith(MailServerExtension.class)
public @interface WithMailServer {
    /** The server's host name (Postfix {@code myhostname}). */
    String hostname() default "localhost";

    /** The local domains; the first is the domain of bare user names. None: the host name is the only one. */
    String[] domains() default {};

    /** Users as {@code name:password} or {@code name@domain:password}. */
    String[] users() default {};

    /** The listeners, each on a free port of 127.0.0.1. */
    Service[] services() default {Service.SMTP, Service.SUBMISSION, Service.POP3, Service.IMAP};

    /** Whether AUTH and LOGIN take passwords without TLS (yes by default: the server listens on loopback only). */
    boolean plaintextAuth() default true;

    /** One server for the class (mailboxes emptied before each test) or a new server for each test. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;
}
