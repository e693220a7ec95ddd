package io.stowage.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class LocalInfraTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postgresKeepsItsDataAcrossARestart(@TempDir Path dir) throws Exception {
        try (PostgresServer pg = PostgresServer.start(0, dir.resolve("pg"));
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD)) {
            ResultSet version = c.createStatement().executeQuery("show server_version");
            version.next();
            assertTrue(version.getString(1).startsWith("18"), version.getString(1));
            c.createStatement().execute("create table kept(v text); insert into kept values ('still here')");
        }
        try (PostgresServer pg = PostgresServer.start(0, dir.resolve("pg"));
                Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD)) {
            ResultSet rs = c.createStatement().executeQuery("select v from kept");
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
        }
    }

    @Test
    void kafkaDeliversRecordsAndKeepsThemAcrossARestart(@TempDir Path dir) throws Exception {
        String topic = "infra-test";
        try (KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"))) {
            kafka.createTopic(topic, 1);
            try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "photos/cat.png", "hello")).get();
            }
            assertEquals(List.of("hello"), readAll(kafka, topic));
        }
        try (KafkaBroker kafka = KafkaBroker.start(0, dir.resolve("kafka"))) {
            assertEquals(List.of("hello"), readAll(kafka, topic));
        }
    }

    private static List<String> readAll(KafkaBroker kafka, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", UUID.randomUUID().toString());
        props.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return java.util.stream.StreamSupport.stream(records.spliterator(), false)
                            .map(ConsumerRecord::value).toList();
                }
            }
            return List.of();
        }
    }

    @Test
    void s3VerifiesPresignedUrlsAndRefusesAnotherLength() throws Exception {
        S3Server s3 = SharedInfra.s3();
        byte[] body = "exactly these bytes".getBytes(StandardCharsets.UTF_8);
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            var presigned = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(PutObjectRequest.builder().bucket(s3.bucket()).key("blobs/t1")
                            .contentType("text/plain").contentLength((long) body.length).build()));
            URI url = presigned.url().toURI();

            var tooLong = HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray("other bytes, other length".getBytes())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, tooLong.statusCode(), tooLong.body());

            var tampered = HTTP.send(HttpRequest.newBuilder(URI.create(url.toString().replace("blobs/t1", "blobs/t2")))
                    .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, tampered.statusCode(), tampered.body());

            var ok = HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
        }
        var anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + s3.bucket() + "/blobs/t1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, anonymous.statusCode());
    }

    @Test
    void s3FilesystemStoreKeepsBlobsAcrossARestart(@TempDir Path dir) throws Exception {
        try (S3Server s3 = S3Server.start(0, dir.resolve("s3"), "kept")) {
            assertTrue(Files.isDirectory(dir.resolve("s3").resolve("kept")));
        }
        try (S3Server s3 = S3Server.start(0, dir.resolve("s3"), "kept")) {
            assertTrue(Files.isDirectory(dir.resolve("s3").resolve("kept")));
        }
    }

    @Test
    void issuerPublishesDiscoveryAndAKeyThatVerifiesItsTokens() throws Exception {
        TokenIssuer issuer = SharedInfra.issuer();
        JsonNode discovery = getJson(issuer.issuer() + "/.well-known/openid-configuration");
        assertEquals(issuer.issuer(), discovery.get("issuer").asText());
        JsonNode jwk = getJson(discovery.get("jwks_uri").asText()).get("keys").get(0);

        String token = issuer.mint("alice", Set.of("storage-admin"));
        String[] parts = token.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals(jwk.get("kid").asText(), header.get("kid").asText());
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()))));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));

        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("alice", claims.get("sub").asText());
        assertEquals(issuer.issuer(), claims.get("iss").asText());
        assertEquals("storage-admin", claims.get("realm_access").get("roles").get(0).asText());
        assertTrue(claims.get("exp").asLong() > Instant.now().getEpochSecond());
    }

    @Test
    void issuerKeepsItsKeySoTokensFromTheCommandLineVerify(@TempDir Path dir) throws Exception {
        try (TokenIssuer running = TokenIssuer.start(0, dir)) {
            TokenIssuer offline = TokenIssuer.offline(dir, running.issuer());
            assertEquals(running.jwksDocument(), offline.jwksDocument());
        }
    }

    @Test
    void issuerTokenEndpointGrantsTokensForTheLocalRun() throws Exception {
        TokenIssuer issuer = SharedInfra.issuer();
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(issuer.issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=bob&scope=storage-admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String token = JSON.readTree(response.body()).get("access_token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals("bob", claims.get("sub").asText());
        assertArrayEquals(new String[] {"storage-admin"},
                JSON.convertValue(claims.get("groups"), String[].class));
    }

    @Test
    void issuerGrantsServiceTokensOnlyToKnownClientsWithTheirSecret() throws Exception {
        TokenIssuer issuer = SharedInfra.issuer();
        URI endpoint = URI.create(issuer.issuer() + "/protocol/openid-connect/token");
        var granted = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("stowage-upload:" + TokenIssuer.DEFAULT_SERVICE_SECRET).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, granted.statusCode(), granted.body());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(
                JSON.readTree(granted.body()).get("access_token").asText().split("\\.")[1]));
        assertEquals("service-account-stowage-upload", claims.get("sub").asText());
        assertEquals("stowage-service", claims.get("realm_access").get("roles").get(0).asText());

        var wrongSecret = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=stowage-upload&client_secret=guess")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrongSecret.statusCode());
        var unknownClient = HTTP.send(HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=mallory&client_secret="
                        + TokenIssuer.DEFAULT_SERVICE_SECRET)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unknownClient.statusCode());
    }

    private static JsonNode getJson(String url) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return JSON.readTree(response.body());
    }
}
