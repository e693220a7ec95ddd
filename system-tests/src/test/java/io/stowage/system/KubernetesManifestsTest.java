package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Renders each overlay of deploy/k8s with real Kustomize ({@code kubectl kustomize}) and reads every
 * resource into the typed models of its API (fabric8's Kubernetes models, the Prometheus operator's,
 * Strimzi's) with unknown fields refused, so that a typo, a field in the wrong place or a value of the
 * wrong type fails the build.
 */
class KubernetesManifestsTest {

    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class));

    /** The models keep unknown fields in a catch-all map; without it, Jackson refuses them. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .registerModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                        BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }));
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Path root() {
        return Path.of(System.getProperty("stowage.root", "..")).toAbsolutePath().normalize();
    }

    private static List<JsonNode> render(String overlay) throws Exception {
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", root().resolve("deploy/k8s/overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kustomize.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kustomize.exitValue(), output);
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(output)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static Object typed(JsonNode doc) throws IOException {
        String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<?> model = TYPES.get(type);
        assertNotNull(model, "no schema known for " + type + " (" + doc.path("metadata").path("name").asText() + ")");
        return STRICT.treeToValue(doc, model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRenderedResourceMatchesItsApiSchema(String overlay) throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        for (JsonNode doc : render(overlay)) {
            typed(doc);
            kinds.merge(doc.path("kind").asText(), 1, Integer::sum);
        }
        assertEquals(5, kinds.get("Deployment"));
        assertEquals(5, kinds.get("Service"));
        assertEquals(5, kinds.get("HorizontalPodAutoscaler"));
        assertEquals(5, kinds.get("PodDisruptionBudget"));
        assertEquals(6, kinds.get("NetworkPolicy"));
        assertEquals(1, kinds.get("KafkaTopic"));
        assertEquals(1, kinds.get("ServiceMonitor"));
        assertEquals(1, kinds.get("Ingress"));
    }

    @Test
    void deploymentsAreHardenedAndProbed() throws Exception {
        for (JsonNode doc : render("prod")) {
            if (!"Deployment".equals(doc.path("kind").asText())) {
                continue;
            }
            Deployment deployment = (Deployment) typed(doc);
            var pod = deployment.getSpec().getTemplate().getSpec();
            var container = pod.getContainers().get(0);
            String name = deployment.getMetadata().getName();
            assertEquals(3, deployment.getSpec().getReplicas(), name);
            assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);
            assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem(), name);
            assertEquals(false, container.getSecurityContext().getAllowPrivilegeEscalation(), name);
            assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath(), name);
            assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath(), name);
            assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath(), name);
            for (var probe : List.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())) {
                assertEquals("management", probe.getHttpGet().getPort().getStrVal(), name + ": probes use the management port");
            }
            assertNotNull(container.getResources().getLimits().get("memory"), name);
            assertNotNull(pod.getAffinity().getPodAntiAffinity(), name);
        }
    }

    @Test
    void healthAndMetricsAreServedOnlyOnTheManagementPortToTheMonitoringNamespace() throws Exception {
        for (JsonNode doc : render("prod")) {
            String kind = doc.path("kind").asText();
            if (kind.equals("ServiceMonitor")) {
                for (JsonNode endpoint : doc.path("spec").path("endpoints")) {
                    assertEquals("management", endpoint.path("port").asText(), "Prometheus scrapes the management port");
                }
            }
            if (kind.equals("NetworkPolicy")) {
                for (JsonNode rule : doc.path("spec").path("ingress")) {
                    boolean fromEveryNamespace = false;
                    for (JsonNode from : rule.path("from")) {
                        JsonNode namespaces = from.get("namespaceSelector");
                        fromEveryNamespace |= namespaces != null && namespaces.isEmpty();
                    }
                    for (JsonNode port : rule.path("ports")) {
                        if (port.path("port").asText().equals("management")) {
                            assertTrue(!fromEveryNamespace, doc.path("metadata").path("name").asText()
                                    + " opens the management port to every namespace");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aMisspelledFieldIsRefused() throws Exception {
        JsonNode deployment = render("dev").stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst().orElseThrow();
        ObjectNode typo = deployment.deepCopy();
        ((ObjectNode) typo.get("spec")).set("replica", typo.get("spec").get("replicas"));
        ((ObjectNode) typo.get("spec")).remove("replicas");
        assertThrows(IOException.class, () -> typed(typo));

        ObjectNode wrongPlace = deployment.deepCopy();
        ((ObjectNode) wrongPlace.get("spec").get("template").get("spec")).set("readinessProbe",
                wrongPlace.get("spec").get("template").get("spec").get("containers").get(0).get("readinessProbe"));
        assertThrows(IOException.class, () -> typed(wrongPlace));

        ObjectNode wrongType = deployment.deepCopy();
        ((ObjectNode) wrongType.get("spec")).put("replicas", "three");
        assertThrows(IOException.class, () -> typed(wrongType));
    }
}
