package io.stowage.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * tus-js-client resumes an upload after upload-service restarts mid-upload (tus.test.mjs, "an upload
 * resumes after upload-service restarts"). It runs in the fault suite's own execution: restarting a
 * service disturbs what other tests observe of it (its traces, its metrics), so it never shares their run.
 */
class TusRestartSystemTest {

    @Test
    void anUploadResumesAfterUploadServiceRestarts() throws Exception {
        String output = TusJsClientSystemTest.runScript(StowageSuite.get(), true);
        assertTrue(output.contains("# fail 0"), output);
        assertTrue(output.lines().anyMatch(line -> line.matches("ok \\d+ - an upload resumes after upload-service restarts")),
                "the restart case ran (not skipped): " + output);
    }
}
