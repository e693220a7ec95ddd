package io.stowage.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakersTest {

    private static Breakers breakers(Duration openFor) {
        return new Breakers(new Breakers.Config() {
            public int failureThreshold() {
                return 3;
            }

            public int noAnswerThreshold() {
                return 2;
            }

            public Duration openFor() {
                return openFor;
            }
        });
    }

    @Test
    void noAnswerOpensSoonerThanFailedAnswers() {
        Breakers b = breakers(Duration.ofSeconds(30));
        b.failed("s");
        b.failed("s");
        assertEquals(0, b.refuses("s"), "two 5xx answers are not yet a run");
        b.failed("s");
        assertTrue(b.refuses("s") > 0, "three are");

        b.unanswered("t");
        assertEquals(0, b.refuses("t"));
        b.unanswered("t");
        assertTrue(b.refuses("t") > 0, "two calls without an answer open it");
        assertEquals(0, b.refuses("u"), "each service has its own circuit");
    }

    @Test
    void afterThePauseOneProbeGoesAndItsAnswerDecides() throws Exception {
        Breakers b = breakers(Duration.ofMillis(50));
        b.unanswered("s");
        b.unanswered("s");
        assertTrue(b.refuses("s") > 0);
        Thread.sleep(80);
        assertEquals(0, b.refuses("s"), "the probe is let through");
        assertTrue(b.refuses("s") > 0, "the others wait for its answer");
        b.unanswered("s");
        assertTrue(b.refuses("s") > 0, "a failed probe opens it again at once");
        Thread.sleep(80);
        assertEquals(0, b.refuses("s"));
        b.succeeded("s");
        assertEquals(0, b.refuses("s"), "a good probe closes it");
        assertEquals(0, b.refuses("s"));
        b.unanswered("s");
        assertEquals(0, b.refuses("s"), "and the count starts again");
    }
}
