package io.stowage.benchmarks.signing;

import io.stowage.signing.config.S3SigningConfig;
import io.stowage.signing.images.ImageUrlSigner;
import io.stowage.signing.keys.KeyAlgorithm;
import io.stowage.signing.keys.KeyFiles;
import io.stowage.signing.keys.KeyRing;
import io.stowage.signing.presign.BlobPresigner;
import io.stowage.signing.presign.PresignCommand;
import io.stowage.signing.presign.PresignedUrl;
import io.stowage.signing.presign.SignOperation;
import io.stowage.signing.tokens.StowageTokens;
import io.stowage.signing.tokens.TokenClaims;
import io.stowage.signing.tokens.TokenScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Signatures per second on one thread (one core) for each kind signing-service makes: the same
 * classes the service runs, without HTTP. Presigning is local (no request reaches S3).
 *
 * <pre>java -jar benchmarks/signing/target/signing-benchmarks.jar SigningBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SigningBenchmark {

    private BlobPresigner presigner;
    private StowageTokens es256;
    private StowageTokens edDsa;
    private ImageUrlSigner images;
    private String es256Token;
    private String edDsaToken;
    private PresignCommand get;
    private PresignCommand put;

    @Setup
    public void setUp() {
        presigner = new BlobPresigner(new S3SigningConfig() {
            public URI endpoint() { return URI.create("http://127.0.0.1:9000"); }
            public String accessKey() { return "stowage"; }
            public String secretKey() { return "stowage-secret"; }
            public String region() { return "us-east-1"; }
            public String bucket() { return "stowage"; }
            public boolean pathStyle() { return true; }
        });
        KeyRing ecRing = KeyRing.of(List.of(KeyFiles.generate("es", KeyAlgorithm.ES256)), Optional.empty(), Set.of());
        KeyRing edRing = KeyRing.of(List.of(KeyFiles.generate("ed", KeyAlgorithm.EdDSA)), Optional.empty(), Set.of());
        es256 = new StowageTokens(() -> ecRing, "stowage", Clock.systemUTC());
        edDsa = new StowageTokens(() -> edRing, "stowage", Clock.systemUTC());
        images = new ImageUrlSigner("benchmark-secret-0123456789abcdefghijkl".getBytes(StandardCharsets.US_ASCII));
        es256Token = es256.issue(TokenScope.DOWNLOAD, "photos", "cats/tom.png", null, false, Duration.ofHours(1)).token();
        edDsaToken = edDsa.issue(TokenScope.DOWNLOAD, "photos", "cats/tom.png", null, false, Duration.ofHours(1)).token();
        String key = "blobs/" + UUID.randomUUID();
        get = new PresignCommand(SignOperation.GET_OBJECT, key, null, null, null, Duration.ofMinutes(15),
                null, "attachment; filename=\"tom.png\"", null, null);
        put = new PresignCommand(SignOperation.PUT_OBJECT, key, "image/png", 52_311L, null, Duration.ofMinutes(15),
                null, null, null, null);
    }

    @TearDown
    public void tearDown() {
        presigner.close();
    }

    @Benchmark
    public PresignedUrl s3PresignGet() {
        return presigner.presign(get);
    }

    @Benchmark
    public PresignedUrl s3PresignPut() {
        return presigner.presign(put);
    }

    @Benchmark
    public String tokenSignEs256() {
        return es256.issue(TokenScope.DOWNLOAD, "photos", "cats/tom.png", null, false, Duration.ofMinutes(15)).token();
    }

    @Benchmark
    public String tokenSignEdDsa() {
        return edDsa.issue(TokenScope.DOWNLOAD, "photos", "cats/tom.png", null, false, Duration.ofMinutes(15)).token();
    }

    @Benchmark
    public TokenClaims tokenVerifyEs256() {
        return es256.verify(es256Token, TokenScope.DOWNLOAD, "photos", "cats/tom.png", null);
    }

    @Benchmark
    public TokenClaims tokenVerifyEdDsa() {
        return edDsa.verify(edDsaToken, TokenScope.DOWNLOAD, "photos", "cats/tom.png", null);
    }

    @Benchmark
    public String imageUrlHmac() {
        return images.sign("fit-in/300x200/filters:quality(80)/photos/cats/tom.png");
    }
}
