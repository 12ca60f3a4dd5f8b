import jdk.jfr.consumer.*;
import java.nio.file.Path;
import java.util.*;

/**
 * Samples whose stack contains frame F: histogram of the frames `depth` levels below F (towards the leaf), as shares of
 * all samples in the window. usage: java [-Dfrom=<epoch s> -Dto=<epoch s>] bench/JfrUnder.java file.jfr Class.method depth
 */
public class JfrUnder {
    public static void main(String[] a) throws Exception {
        String target = a[1]; int depth = Integer.parseInt(a[2]);
        long from = Long.getLong("from", Long.MIN_VALUE), to = Long.getLong("to", Long.MAX_VALUE);
        Map<String, Integer> h = new HashMap<>(); int total = 0, hit = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(a[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            long at = e.getStartTime().getEpochSecond(); if (at < from || at > to) continue;
            total++;
            List<RecordedFrame> fr = e.getStackTrace().getFrames();
            for (int i = fr.size() - 1; i >= 0; i--) {
                String n = fr.get(i).getMethod().getType().getName() + "." + fr.get(i).getMethod().getName();
                if (n.contains(target)) {
                    hit++;
                    int j = Math.max(0, i - depth);
                    StringBuilder k = new StringBuilder();
                    for (int d = i - 1; d >= j; d--) { RecordedFrame f = fr.get(d); k.append(f.getMethod().getType().getName().replaceAll(".*\\.", "")).append('.').append(f.getMethod().getName()); if (d > j) k.append(" > "); }
                    if (k.length() == 0) k.append("(self)");
                    h.merge(k.toString(), 1, Integer::sum);
                    break;
                }
            }
        }
        System.out.printf("samples %d, with %s: %d (%.1f%%)%n", total, target, hit, 100.0 * hit / total);
        final int tot = total;
        h.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(Integer.getInteger("top", 25))
            .forEach(en -> System.out.printf("%6.1f%%  %s%n", 100.0 * en.getValue() / tot, en.getKey()));
    }
}
