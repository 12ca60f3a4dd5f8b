package org.myna.suite.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import static org.myna.suite.deploy.Manifests.at;

/**
 * The environment a workload's first container gets in a cluster, read from the rendered manifests as the kubelet
 * builds it: envFrom ConfigMaps and Secrets first, then env (which wins), fieldRef for the namespace; mounted Secret
 * and emptyDir volumes materialised as local directories. Secret values come from a fixture (a Secret named X is
 * {@code <fixture>/X.env} for envFrom, {@code <fixture>/X/} for a volume, or a directory given in {@code secretDirs}).
 * Values that name a mount path are rewritten to the local directory; nothing else is changed here.
 */
public final class DeployedEnvironment {

    private DeployedEnvironment() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> of(List<Map<String, Object>> objects, String kind, String name, Path fixture,
                                         Map<String, Path> secretDirs, Path scratch) {
        Map<String, Object> workload = Manifests.named(objects, kind, name);
        String namespace = Objects.requireNonNullElse(at(workload, "metadata", "namespace"), "default");
        Map<String, Object> pod = at(workload, "spec", "template", "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> from : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
            String configMap = at(from, "configMapRef", "name");
            String secret = at(from, "secretRef", "name");
            if (configMap != null) {
                Map<String, Object> data = at(Manifests.named(objects, "ConfigMap", configMap), "data");
                data.forEach((k, v) -> env.put(k, String.valueOf(v)));
            } else if (secret != null) {
                env.putAll(readEnvFile(fixture.resolve(secret + ".env")));
            }
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            String key = (String) e.get("name");
            if (e.containsKey("value")) {
                env.put(key, String.valueOf(e.get("value")));
            } else if ("metadata.namespace".equals(at(e, "valueFrom", "fieldRef", "fieldPath"))) {
                env.put(key, namespace);
            } else {
                throw new IllegalStateException(name + ": env " + key + " has a source this harness does not model: " + e);
            }
        }
        // Volumes: each mount path becomes a local directory, and values naming it follow.
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
            volumes.put((String) v.get("name"), v);
        }
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) container.getOrDefault("volumeMounts", List.of())) {
            Map<String, Object> volume = volumes.get((String) m.get("name"));
            String mountPath = (String) m.get("mountPath");
            Path local;
            String secretName = at(volume, "secret", "secretName");
            if (secretName != null) {
                local = secretDirs.containsKey(secretName) ? secretDirs.get(secretName) : fixture.resolve(secretName);
                if (!Files.isDirectory(local) && !Boolean.TRUE.equals(at(volume, "secret", "optional"))) {
                    throw new IllegalStateException(name + ": no fixture for the Secret volume " + secretName + " at " + local);
                }
            } else if (volume.containsKey("emptyDir")) {
                local = scratch.resolve(name + "-" + m.get("name"));
                mkdirs(local);
            } else {
                throw new IllegalStateException(name + ": volume kind this harness does not model: " + volume);
            }
            mounts.put(mountPath, local.toAbsolutePath().toString());
        }
        // A value that is a path (or a file: URI) under a mount path now names the local directory; once only.
        env.replaceAll((k, v) -> {
            for (Map.Entry<String, String> mount : mounts.entrySet()) {
                for (String prefix : List.of("", "file:")) {
                    if (v.startsWith(prefix + mount.getKey() + "/")) {
                        return prefix + mount.getValue() + v.substring(prefix.length() + mount.getKey().length());
                    }
                }
            }
            return v;
        });
        return env;
    }

    /** Rewrites every value with {@code change} (addresses a cluster's DNS or network would resolve). */
    public static Map<String, String> rewrite(Map<String, String> env, Function<String, String> change) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, change.apply(v)));
        return out;
    }

    static Map<String, String> readEnvFile(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalStateException("no fixture for the Secret " + file.getFileName() + " at " + file);
        }
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
