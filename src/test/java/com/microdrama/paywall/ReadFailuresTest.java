package com.microdrama.paywall;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.TimeoutException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ReadFailuresTest {

    private final ReadFailures failures = new ReadFailures();

    @Test
    void an_error_means_unavailable_at_once() {
        assertTrue(failures.unavailable(new ConnectException("Connection refused")));
    }

    @Test
    void timeouts_among_answered_reads_do_not() {
        for (int i = 0; i < 10; i++) {
            assertFalse(failures.unavailable(new TimeoutException()), "timeout " + i);
            assertFalse(failures.unavailable(new TimeoutException()), "timeout " + i + ", second");
            failures.answered();
        }
    }

    @Test
    void timeouts_in_a_row_do() {
        assertFalse(failures.unavailable(new TimeoutException()));
        assertFalse(failures.unavailable(new TimeoutException()));
        assertTrue(failures.unavailable(new TimeoutException()));
        assertTrue(failures.unavailable(new TimeoutException()), "still, until a read is answered");
        failures.answered();
        assertFalse(failures.unavailable(new TimeoutException()));
    }
}
