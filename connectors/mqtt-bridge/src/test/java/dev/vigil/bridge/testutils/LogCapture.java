package dev.vigil.bridge.testutils;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Copies everything logged in this JVM (with stack traces) into a string, with the bridge's own
 * loggers at DEBUG, until {@link #close()}.
 */
public final class LogCapture implements AutoCloseable {

    private static final String NAME = "test-capture";

    private final StringWriter text = new StringWriter();
    private final WriterAppender appender;
    private final Level bridgeLevel;

    public LogCapture() {
        LoggerContext context = LoggerContext.getContext(false);
        Configuration config = context.getConfiguration();
        appender =
                WriterAppender.newBuilder()
                        .setName(NAME)
                        .setTarget(text)
                        .setLayout(
                                PatternLayout.newBuilder()
                                        .withPattern("%p %c - %m%n%throwable")
                                        .build())
                        .build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        bridgeLevel = config.getLoggerConfig("dev.vigil.bridge").getLevel();
        context.updateLoggers();
        Configurator.setLevel("dev.vigil.bridge", Level.DEBUG);
    }

    public synchronized String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerContext context = LoggerContext.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(NAME);
        Configurator.setLevel("dev.vigil.bridge", bridgeLevel);
        context.updateLoggers();
        appender.stop();
    }
}
