package dev.yubin.junit;

/** How long one server of a {@link MailServerExtension} lives. */
public enum Lifecycle {
    /**
     * One server for a test class and its {@code @Nested} classes, started before the first test and closed after
     * the last; an in-memory store is emptied before each test (unless tests of the class run concurrently).
     */
    PER_CLASS,
    /** A new server for each test method, closed when it ends. */
    PER_METHOD
}
