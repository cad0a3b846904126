package org.tamer.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of {@code deploy/} without Docker or Kubernetes: every compose and Kubernetes file parses;
 * they reference only images the project's Dockerfiles build (plus two named public images), only ports the
 * gateway listens on, only environment variables the gateway, its entry point or the training tool read, and
 * only volumes they declare; the Dockerfiles copy only files that exist or that their own build step produces.
 * That the entry point starts a working gateway with the image's settings is {@code EntrypointIT}'s job.
 */
class DeployFilesTest {

    /** Public images used by the compose file, pinned by tag; not pulled on this machine (no Docker here). */
    private static final Set<String> PUBLIC_IMAGES = Set.of("postgres:16", "hapiproject/hapi:v8.6.0-1");

    private static final Pattern BUILT_TAG = Pattern.compile("docker build -f (deploy/\\S+) -t (\\S+) \\.");
    private static final Pattern ENV_NAME = Pattern.compile("\\b(TAMER_[A-Z0-9_]+)\\b");

    private static Path root;
    private static Path deploy;
    private static Map<String, String> builtImages;
    private static Set<String> knownEnvironment;

    @BeforeAll
    static void locate() throws IOException {
        root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        deploy = root.resolve("deploy");
        assertTrue(Files.isDirectory(deploy), "no deploy folder at " + deploy);
        builtImages = new LinkedHashMap<>();
        for (Path dockerfile : dockerfiles()) {
            Matcher m = BUILT_TAG.matcher(Files.readString(dockerfile));
            assertTrue(m.find(), dockerfile + ": the header must show its docker build command with -t");
            assertEquals(root.relativize(dockerfile).toString(), m.group(1), dockerfile + ": build command file");
            builtImages.put(m.group(2), dockerfile.getFileName().toString());
        }
        knownEnvironment = new TreeSet<>();
        Map<String, Object> application = yaml(root.resolve("gateway/src/main/resources/application.yml")).get(0);
        flatten("", application, knownEnvironment);
        Matcher placeholders = Pattern.compile("\\$\\{(TAMER_[A-Z0-9_]+):").matcher(
                Files.readString(root.resolve("gateway/src/main/resources/application.yml")));
        while (placeholders.find()) {
            knownEnvironment.add(placeholders.group(1));
        }
        for (Path launcher : List.of(deploy.resolve("entrypoint.sh"), root.resolve("bin/tamer-java"))) {
            Matcher names = ENV_NAME.matcher(Files.readString(launcher));
            while (names.find()) {
                knownEnvironment.add(names.group(1));
            }
        }
    }

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 9, "compose file and Kubernetes manifests expected, found " + files);
        for (Path file : files) {
            List<Map<String, Object>> documents = yaml(file);
            assertFalse(documents.isEmpty(), file + " holds no YAML document");
            for (Map<String, Object> document : documents) {
                if (file.startsWith(deploy.resolve("k8s"))) {
                    assertTrue(document.containsKey("apiVersion") && document.containsKey("kind"),
                            file + ": a Kubernetes document needs apiVersion and kind: " + document.keySet());
                }
            }
        }
    }

    @Test
    void onlyImagesTheProjectBuildsOrNamedPublicOnes() throws IOException {
        assertEquals(Set.of("tamer-gateway:0.1.0", "tamer-gateway-cuda:0.1.0", "tamer-training:0.1.0"),
                builtImages.keySet());
        List<String> unknown = new ArrayList<>();
        for (Path file : yamlFiles()) {
            for (String image : values(yaml(file), "image")) {
                if (!builtImages.containsKey(image) && !PUBLIC_IMAGES.contains(image)) {
                    unknown.add(root.relativize(file) + ": " + image);
                }
            }
        }
        assertEquals(List.of(), unknown);
        Map<String, Object> gpu = yaml(deploy.resolve("k8s/gpu/kustomization.yaml")).get(0);
        for (Map<String, Object> image : list(gpu.get("images"))) {
            String replaced = image.get("name") + ":0.1.0";
            String replacement = image.get("newName") + ":" + image.get("newTag");
            assertTrue(builtImages.containsKey(replaced), "GPU overlay renames an image nobody uses: " + replaced);
            assertTrue(builtImages.containsKey(replacement), "GPU overlay names an image no Dockerfile builds: "
                    + replacement);
        }
    }

    @Test
    void onlyPortsTheGatewayListensOn() throws IOException {
        Set<Integer> listening = Set.of(2575, 8080);
        Map<String, Object> deployment = kind("Deployment");
        Map<String, Object> container = list(path(deployment, "spec", "template", "spec", "containers")).get(0);
        Map<String, Integer> named = new LinkedHashMap<>();
        for (Map<String, Object> port : list(container.get("ports"))) {
            named.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        assertEquals(listening, Set.copyOf(named.values()));
        for (Map<String, Object> service : kinds("Service")) {
            for (Map<String, Object> port : list(path(service, "spec", "ports"))) {
                assertTrue(named.containsKey(port.get("targetPort")), "service port " + port
                        + " targets no container port; named ports are " + named);
            }
        }
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            Map<String, Object> get = map(path(container, probe, "httpGet"));
            assertTrue(named.containsKey(get.get("port")), probe + " port " + get.get("port"));
            assertTrue(Set.of("/health/readiness", "/health/liveness").contains(get.get("path")), probe + " path");
        }
        Map<String, Object> compose = yaml(deploy.resolve("compose.yaml")).get(0);
        for (Object mapping : (List<?>) path(compose, "services", "gateway", "ports")) {
            int containerPort = Integer.parseInt(mapping.toString().substring(mapping.toString().indexOf(':') + 1));
            assertTrue(listening.contains(containerPort), "compose publishes " + mapping);
        }
        for (Path dockerfile : List.of(deploy.resolve("Dockerfile"), deploy.resolve("Dockerfile.cuda"))) {
            assertTrue(Files.readString(dockerfile).contains("\nEXPOSE 2575 8080\n"), dockerfile + " EXPOSE");
        }
    }

    @Test
    void onlyEnvironmentVariablesSomethingReads() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path file : yamlFiles()) {
            Matcher m = ENV_NAME.matcher(Files.readString(file));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        for (Path dockerfile : dockerfiles()) {
            Matcher m = ENV_NAME.matcher(Files.readString(dockerfile));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertTrue(used.containsAll(Set.of("TAMER_STORE_URL", "TAMER_MODEL_BUNDLE", "TAMER_FHIR_SERVER_URL")), used
                .toString());
        Set<String> unread = new TreeSet<>(used);
        unread.removeAll(knownEnvironment);
        assertEquals(Set.of(), unread, "variables that no application.yml key or placeholder and no entry point "
                + "variable reads");
    }

    @Test
    void volumesAndKustomizationResourcesExist() throws IOException {
        Set<String> claims = new LinkedHashSet<>();
        for (Map<String, Object> claim : kinds("PersistentVolumeClaim")) {
            claims.add((String) path(claim, "metadata", "name"));
        }
        List<Map<String, Object>> podSpecs = List.of(map(path(kind("Deployment"), "spec", "template", "spec")),
                map(path(kind("CronJob"), "spec", "jobTemplate", "spec", "template", "spec")));
        for (Map<String, Object> pod : podSpecs) {
            Set<String> declared = new LinkedHashSet<>();
            for (Map<String, Object> volume : list(pod.get("volumes"))) {
                declared.add((String) volume.get("name"));
                Object claim = volume.get("persistentVolumeClaim");
                if (claim != null) {
                    assertTrue(claims.contains(map(claim).get("claimName")), "undeclared claim " + claim);
                }
            }
            List<Map<String, Object>> containers = new ArrayList<>(list(pod.get("containers")));
            if (pod.get("initContainers") != null) {
                containers.addAll(list(pod.get("initContainers")));
            }
            for (Map<String, Object> container : containers) {
                for (Map<String, Object> mount : list(container.get("volumeMounts"))) {
                    assertTrue(declared.contains(mount.get("name")), container.get("name") + " mounts "
                            + mount.get("name") + ", declared: " + declared);
                }
            }
        }
        for (Path kustomization : List.of(deploy.resolve("k8s/base/kustomization.yaml"),
                deploy.resolve("k8s/gpu/kustomization.yaml"), deploy.resolve("k8s/monitoring/kustomization.yaml"))) {
            for (Object resource : (List<?>) yaml(kustomization).get(0).get("resources")) {
                Path target = kustomization.getParent().resolve(resource.toString()).normalize();
                assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")),
                        kustomization + " lists " + resource + ", which does not exist");
            }
        }
        Set<Path> listed = new TreeSet<>();
        for (Object resource : (List<?>) yaml(deploy.resolve("k8s/base/kustomization.yaml")).get(0).get("resources")) {
            listed.add(deploy.resolve("k8s/base").resolve(resource.toString()));
        }
        try (Stream<Path> files = Files.list(deploy.resolve("k8s/base"))) {
            Set<Path> present = new TreeSet<>(files.filter(f -> !f.getFileName().toString().equals(
                    "kustomization.yaml")).toList());
            assertEquals(present, listed, "every manifest in the base is listed by its kustomization");
        }
    }

    @Test
    void dockerfilesCopyOnlyWhatExistsOrTheirBuildProduces() throws IOException {
        Pattern copy = Pattern.compile("^COPY (--from=build )?(.+) (\\S+)$", Pattern.MULTILINE);
        for (Path dockerfile : dockerfiles()) {
            String text = Files.readString(dockerfile);
            Matcher module = Pattern.compile("mvn -B -q -DskipTests -pl (\\w+) -am install").matcher(text);
            assertTrue(module.find(), dockerfile + ": the build stage installs one module");
            String built = module.group(1);
            assertTrue(text.contains("-pl " + built + " dependency:copy-dependencies -DincludeScope=runtime "
                    + "-DoutputDirectory=target/lib"), dockerfile + ": the runtime libraries come from the module");
            Matcher m = copy.matcher(text);
            int copies = 0;
            while (m.find()) {
                copies++;
                for (String source : m.group(2).trim().split("\\s+")) {
                    if (source.equals(".")) {
                        continue;
                    }
                    String relative = m.group(1) == null ? source : source.replaceFirst("^/src/", "");
                    if (relative.startsWith(built + "/target/")) {
                        assertTrue(relative.equals(built + "/target/lib/")
                                        || relative.equals(built + "/target/" + built + "-0.1.0-SNAPSHOT.jar"),
                                dockerfile + " copies " + source + ", which its build does not produce");
                    } else {
                        assertTrue(Files.exists(root.resolve(relative)), dockerfile + " copies " + source
                                + ", which does not exist in the repository");
                    }
                }
            }
            assertTrue(copies >= 3, dockerfile + ": " + copies + " COPY instructions");
            assertTrue(text.contains("ENTRYPOINT [\"/opt/tamer/entrypoint.sh\"]"), dockerfile + " entry point");
            assertTrue(text.contains("COPY bin/tamer-java /opt/tamer/bin/tamer-java") && text.contains("libjemalloc2"),
                    dockerfile + " installs jemalloc and the launcher the entry point starts Java with");
            assertTrue(text.contains("\nUSER 10001\n"), dockerfile + " runs as the non-root user");
        }
        assertTrue(Files.isExecutable(deploy.resolve("entrypoint.sh")), "entrypoint.sh must be executable");
        assertTrue(Files.isExecutable(root.resolve("bin/tamer-java")), "bin/tamer-java must be executable");
        Path trainingMain = root.resolve("training/src/main/java/org/tamer/training/cli/TamerCli.java");
        assertTrue(Files.readString(deploy.resolve("Dockerfile.training")).contains(
                "TAMER_MAIN=org.tamer.training.cli.TamerCli") && Files.exists(trainingMain), "training main class");
    }

    @Test
    void healthCheckRunsTheProbeClassFromTheGatewayJar() throws Exception {
        Pattern health = Pattern.compile("CMD \\[\"java\", .*\"-cp\", \"/opt/tamer/lib/gateway-0\\.1\\.0-SNAPSHOT\\.jar\", "
                + "\"([\\w.]+)\"]");
        for (Path dockerfile : List.of(deploy.resolve("Dockerfile"), deploy.resolve("Dockerfile.cuda"))) {
            Matcher m = health.matcher(Files.readString(dockerfile));
            assertTrue(m.find(), dockerfile + ": HEALTHCHECK runs the gateway's probe class");
            assertEquals("org.tamer.gateway.health.HealthProbe", Class.forName(m.group(1)).getName());
        }
    }

    /**
     * Every replica exports the same global backlog, so the autoscaler must read it as one External metric (a Pods
     * metric averages identical values and keeps scaling up): the HPA's metrics are External, each one a metric the
     * adapter rules serve under that name, aggregated with max by namespace over a series the gateway exports.
     */
    @Test
    void autoscalerScalesOnTheGlobalBacklogAsAnExternalMetric() throws IOException {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        org.tamer.gateway.metrics.StoreGauges.register(new org.tamer.gateway.metrics.GatewayMetrics(registry),
                () -> Map.of(org.tamer.gateway.store.MessageState.PARSED, 7L));
        String exported = registry.scrape();
        Map<String, Map<String, Object>> served = new LinkedHashMap<>();
        for (Map<String, Object> rule : list(yaml(deploy.resolve("prometheus/adapter-rules.yaml")).get(0)
                .get("externalRules"))) {
            served.put((String) path(rule, "name", "as"), rule);
        }
        List<Map<String, Object>> metrics = list(path(kind("HorizontalPodAutoscaler"), "spec", "metrics"));
        assertFalse(metrics.isEmpty(), "the HPA scales on no metric");
        for (Map<String, Object> metric : metrics) {
            assertEquals("External", metric.get("type"), "a per-pod metric over-scales: " + metric);
            String name = (String) path(metric, "external", "metric", "name");
            Map<String, Object> rule = served.get(name);
            assertTrue(rule != null, "no adapter rule serves " + name + "; served: " + served.keySet());
            Matcher series = Pattern.compile("^(\\w+)\\{").matcher((String) rule.get("seriesQuery"));
            assertTrue(series.find(), "adapter rule for " + name + " names no series: " + rule.get("seriesQuery"));
            assertTrue(Pattern.compile("(?m)^" + series.group(1) + "(\\{[^}]*\\})? 7\\.0$").matcher(exported).find(),
                    "the gateway does not export " + series.group(1) + " with the PARSED count:\n" + exported);
            assertEquals("max(<<.Series>>{<<.LabelMatchers>>}) by (namespace)", rule.get("metricsQuery"),
                    "identical values of all replicas must be aggregated with max by namespace");
            assertEquals("AverageValue", path(metric, "external", "target", "type"));
        }
    }

    private static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(deploy)) {
            return files.filter(f -> f.getFileName().toString().startsWith("Dockerfile")).sorted().toList();
        }
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(deploy)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
                    .toList();
        }
    }

    private static List<Map<String, Object>> yaml(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    documents.add(map(document));
                }
            }
        } catch (RuntimeException e) {
            throw new AssertionError(file + " does not parse as YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    private static Map<String, Object> kind(String kind) throws IOException {
        List<Map<String, Object>> found = kinds(kind);
        assertEquals(1, found.size(), "exactly one " + kind + " in the base");
        return found.get(0);
    }

    private static List<Map<String, Object>> kinds(String kind) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(deploy.resolve("k8s/base"))) {
            for (Path file : files.sorted().toList()) {
                for (Map<String, Object> document : yaml(file)) {
                    if (kind.equals(document.get("kind"))) {
                        found.add(document);
                    }
                }
            }
        }
        return found;
    }

    /** Every value of {@code key} anywhere in the documents. */
    private static List<String> values(Object node, String key) {
        List<String> found = new ArrayList<>();
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (key.equals(k) && v instanceof String s) {
                    found.add(s);
                } else {
                    found.addAll(values(v, key));
                }
            });
        } else if (node instanceof List<?> l) {
            l.forEach(item -> found.addAll(values(item, key)));
        }
        return found;
    }

    private static void flatten(String prefix, Map<String, Object> node, Set<String> environment) {
        node.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            environment.add(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (value instanceof Map<?, ?>) {
                flatten(name, map(value), environment);
            }
        });
    }

    private static Object path(Map<String, Object> node, String... keys) {
        Object current = node;
        for (String key : keys) {
            assertTrue(current instanceof Map<?, ?>, "no " + key + " in " + String.join(".", keys));
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map<?, ?>, "expected a mapping, got " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        assertTrue(node instanceof List<?>, "expected a sequence, got " + node);
        return (List<Map<String, Object>>) node;
    }
}
