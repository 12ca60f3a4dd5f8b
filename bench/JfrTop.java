import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where CPU time goes in a JFR recording: jdk.ExecutionSample events, (1) top leaf frames, (2) share of samples
 * whose stack contains a frame of each area (a sample can count in several areas), (3) top application frames
 * (first org.myna frame from the leaf), (4) org.myna methods by inclusive share (anywhere in the stack).
 * usage: java [-Dfrom=<epoch s> -Dto=<epoch s>] bench/JfrTop.java file.jfr [top] (the window keeps one run's samples;
 * bench/hot-paths.sh prints each run's window)
 */
public class JfrTop {

    static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("bouncycastle (certificate parse / ECDSA verify / CA signing)", "org.bouncycastle.");
        AREAS.put("JDK crypto (sun.security, java.security, RSA/EC)", "sun.security.");
        AREAS.put("JWT (smallrye-jwt / jose4j)", "org.jose4j.");
        AREAS.put("H2 database engine", "org.h2.");
        AREAS.put("Hibernate ORM", "org.hibernate.");
        AREAS.put("Agroal pool / Narayana transactions", "com.arjuna.");
        AREAS.put("Jackson JSON", "com.fasterxml.jackson.");
        AREAS.put("Vert.x / Netty (HTTP server+client)", "io.netty.");
        AREAS.put("REST client (registry calls)", "org.jboss.resteasy.reactive.client.");
        AREAS.put("Hibernate Validator", "org.hibernate.validator.");
        AREAS.put("application code (org.myna)", "org.myna.");
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        Map<String, Integer> leaf = new HashMap<>();
        Map<String, Integer> app = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        long from = Long.getLong("from", Long.MIN_VALUE), to = Long.getLong("to", Long.MAX_VALUE);
        Map<String, Integer> area = new LinkedHashMap<>();
        AREAS.keySet().forEach(k -> area.put(k, 0));
        int samples = 0;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            long at = e.getStartTime().getEpochSecond();
            if (at < from || at > to) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            leaf.merge(name(frames.get(0)), 1, Integer::sum);
            boolean appSeen = false;
            java.util.Set<String> hit = new java.util.HashSet<>();
            java.util.Set<String> mine = new java.util.HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("org.myna.") && !n.contains("_Subclass") && mine.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
                if (!appSeen && n.startsWith("org.myna.")) {
                    app.merge(n, 1, Integer::sum);
                    appSeen = true;
                }
                for (Map.Entry<String, String> a : AREAS.entrySet()) {
                    if (n.startsWith(a.getValue()) || (a.getValue().equals("sun.security.") && n.startsWith("java.security."))
                            || (a.getValue().equals("com.arjuna.") && n.startsWith("io.agroal."))
                            || (a.getValue().equals("io.netty.") && n.startsWith("io.vertx."))
                            || (a.getValue().equals("org.jose4j.") && n.startsWith("io.smallrye.jwt."))) {
                        hit.add(a.getKey());
                    }
                }
            }
            hit.forEach(h -> area.merge(h, 1, Integer::sum));
        }
        System.out.printf("execution samples: %d%n", samples);
        // The JIT's work in the recording (its threads are never in the execution samples): jdk.CompilerStatistics
        // carries the compilers' running totals, so last minus first is what they did within the window.
        RecordedEvent firstStats = null, lastStats = null;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("jdk.CompilerStatistics")) {
                long at = e.getStartTime().getEpochSecond();
                if (at >= from && at <= to) {
                    firstStats = firstStats == null ? e : firstStats;
                    lastStats = e;
                }
            }
        }
        if (firstStats != null && lastStats != firstStats) {
            double seconds = java.time.Duration.between(firstStats.getStartTime(), lastStats.getStartTime()).toMillis() / 1000.0;
            long compiles = lastStats.getInt("compileCount") - firstStats.getInt("compileCount");
            double spent = (lastStats.getDuration("totalTimeSpent").toMillis() - firstStats.getDuration("totalTimeSpent").toMillis()) / 1000.0;
            System.out.printf("JIT (jdk.CompilerStatistics) over %.1f s: %d compilations, %.2f s of compile time%n", seconds, compiles, spent);
        }
        System.out.println("share of samples by area (stack contains):");
        int s = samples;
        area.forEach((k, v) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * v / Math.max(1, s), k));
        System.out.println("top leaf frames:");
        leaf.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, s), en.getKey()));
        System.out.println("top first application frames (org.myna, nearest the leaf):");
        app.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, s), en.getKey()));
        System.out.println("org.myna methods by inclusive share (the method or what it calls):");
        inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, s), en.getKey()));
    }

    static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
