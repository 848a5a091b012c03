package dev.yubin.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Picks the user behind an injected {@link dev.yubin.mailserver.Credentials} or {@code jakarta.mail.Session}
 * parameter, by login or address; without it the first user added is injected.
 *
 * <pre>
 * void replies(&#64;User("kato") Credentials kato, &#64;User("abe") Session abe) { … }
 * </pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface User {
    /** A login or address the server was given with {@code user(…)}. */
    String value();
}
