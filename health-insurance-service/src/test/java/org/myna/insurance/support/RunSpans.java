package org.myna.insurance.support;

import jakarta.inject.Singleton;
import org.myna.platform.testkit.FileSpanExporter;

import java.nio.file.Path;

/** The test run's spans, in a file LogLeakIT reads (the test profile sets quarkus.otel.traces.exporter=cdi). */
@Singleton
public class RunSpans extends FileSpanExporter {

    public RunSpans() {
        super(Path.of("target/insurance-spans.log"));
    }
}
