package dev.yubin.core.log;

import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that writes to an slf4j logger and gives events of INFO and above to a listener. */
final class TeeLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final String daemon;
    private final transient Logger target;
    private final transient Consumer<MailLogEvent> listener;

    TeeLogger(String daemon, Logger target, Consumer<MailLogEvent> listener) {
        this.name = target.getName();
        this.daemon = daemon;
        this.target = target;
        this.listener = listener;
    }

    @Override
    public boolean isTraceEnabled() {
        return target.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return target.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        String text = MessageFormatter.basicArrayFormat(pattern, arguments);
        if (level.toInt() >= Level.INFO.toInt()) {
            listener.accept(new MailLogEvent(Instant.now(), daemon, level, text));
        }
        if (target.isEnabledForLevel(level)) {
            target.atLevel(level).setCause(throwable).log(text);
        }
    }
}
