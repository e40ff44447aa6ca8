package com.microdrama.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.error.Problem;
import com.microdrama.core.error.ProblemMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.impl.NoStackTraceThrowable;
import org.junit.jupiter.api.Test;

/**
 * Failures the fault bench met that the cut tests did not: a query handed to a pooled connection the moment the
 * silent database's connections were closed fails with the SQL client's "Connection is not active now". That is
 * an outage (503 with Retry-After), not a bug (500). scripts/bench/faults.sh's PostgreSQL blackhole got 3 × 500.
 */
@QuarkusTest
class OutageAnswerTest {

    @Test
    void a_query_on_a_connection_closed_under_it_is_an_outage() {
        Problem problem = ProblemMapper.toProblem(
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"), "/api/v1/x");
        assertThat(problem.status()).isEqualTo(503);
        assertThat(ProblemMapper.toProblem(new NoStackTraceThrowable("something else"), "/api/v1/x").status())
                .as("other failures stay 500").isEqualTo(500);
    }
}
