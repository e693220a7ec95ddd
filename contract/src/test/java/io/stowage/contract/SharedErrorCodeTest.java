package io.stowage.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SharedErrorCodeTest {

    @Test
    void everyCodeHasAnErrorStatus() {
        for (SharedErrorCode code : SharedErrorCode.values()) {
            assertTrue(code.status() >= 400 && code.status() < 600, code + " " + code.status());
        }
    }

    @Test
    void anUpstreamAnsweringNonsenseIsABadGatewayNotAnOutage() {
        // outages are 503 with the dependency's code (io.stowage.edge.DependencyUnavailable)
        assertEquals(502, SharedErrorCode.UpstreamUnavailable.status());
    }

    @Test
    void codesMeanTheStatusesClientsRelyOn() {
        assertEquals(404, SharedErrorCode.ObjectNotFound.status());
        assertEquals(409, SharedErrorCode.ObjectAlreadyExists.status());
        assertEquals(412, SharedErrorCode.PreconditionFailed.status());
        assertEquals(413, SharedErrorCode.PayloadTooLarge.status());
        assertEquals(415, SharedErrorCode.InvalidMimeType.status());
        assertEquals(401, SharedErrorCode.TokenExpired.status());
        assertEquals(403, SharedErrorCode.WrongScope.status());
    }

    @Test
    void bodyOfACodeCarriesItsNameAndStatus() {
        assertEquals(new ErrorBody(404, "BucketNotFound", "bucket 'b' not found"),
                ErrorBody.of(SharedErrorCode.BucketNotFound, "bucket 'b' not found"));
    }
}
