package com.foobar.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.chaos.load.FailureKind;
import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.load.Operation;
import com.foobar.chaos.load.RequestRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsTest {

    private static RequestRecord failed(Operation op, double startMs) {
        return new RequestRecord(op, op == Operation.READ ? "/api/products" : "/api/orders", startMs, startMs + 5, 503,
                FailureKind.HTTP_STATUS, "web-1", null, 0, "the database is unavailable; retry shortly");
    }

    @Test
    void failedReadsAreListedBeforeTheWritesRefusedAroundThem() {
        List<RequestRecord> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(failed(Operation.WRITE, 1000 + i * 50));
        }
        records.add(failed(Operation.READ, 1400));
        records.add(failed(Operation.READ, 1200));

        List<String> lines = Findings.failureLines(new LoadSummary(records), 5);

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("failed GET /api/products started +1.200 s");
        assertThat(lines.get(1)).startsWith("failed GET /api/products started +1.400 s");
        assertThat(lines.get(2)).startsWith("failed POST /api/orders started +1.000 s");
        assertThat(lines.get(5)).isEqualTo("... and 27 more failures");
    }
}
