package org.myna.platform.testkit;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;

/**
 * Writes every finished span, its name and all its attributes, as one line of a file: what a tracing backend would
 * store. A service's test profile exports its spans here (quarkus.otel.traces.exporter=cdi) so that {@link UrlLeaks}
 * can prove that no identifier reached a trace. Each service subclasses it as a bean naming its file.
 */
public abstract class FileSpanExporter implements SpanExporter {

    private final Path file;

    protected FileSpanExporter(Path file) {
        this.file = file;
    }

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
        StringBuilder lines = new StringBuilder();
        for (SpanData span : spans) {
            lines.append(span.getKind()).append(' ').append(span.getName()).append(' ')
                    .append(span.getAttributes().asMap()).append('\n');
        }
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
