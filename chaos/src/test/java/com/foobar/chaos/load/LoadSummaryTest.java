package com.foobar.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadSummaryTest {

    private static RequestRecord read(double start, double end, FailureKind kind, int status) {
        return new RequestRecord(Operation.READ, "/", start, end, status, kind, null, null, 0, "");
    }

    private static RequestRecord write(double start, double end, long orderId) {
        return new RequestRecord(Operation.WRITE, "/api/orders", start, end, orderId > 0 ? 201 : 502,
                orderId > 0 ? FailureKind.NONE : FailureKind.HTTP_STATUS, null, null, orderId, "");
    }

    @Test
    void theWorstGapIsTheLongestStretchWithoutASuccessOfThatKind() {
        LoadSummary s = new LoadSummary(List.of(
                read(0, 10, FailureKind.NONE, 200),
                read(20, 30, FailureKind.NONE, 200),
                read(40, 45, FailureKind.CONNECT, 0),
                read(50, 60, FailureKind.HTTP_STATUS, 503),
                read(70, 530, FailureKind.NONE, 200),
                read(540, 550, FailureKind.NONE, 200)));

        LoadSummary.Gap gap = s.worstGap(Operation.READ);

        assertThat(gap.fromMs()).isEqualTo(30);
        assertThat(gap.toMs()).isEqualTo(530);
        assertThat(s.failed(Operation.READ)).isEqualTo(2);
        assertThat(s.describeFailures(r -> true)).isEqualTo("503×1, connect×1");
    }

    @Test
    void aKindThatNeverSucceedsHasTheWholeLoadAsItsGap() {
        LoadSummary s = new LoadSummary(List.of(read(0, 10, FailureKind.NONE, 200), write(5, 20, 0),
                read(900, 1000, FailureKind.NONE, 200)));

        assertThat(s.worstGap(Operation.WRITE).lengthMs()).isEqualTo(1000);
    }

    @Test
    void acknowledgedWritesAreTheSuccessfulOnesWithAnOrderId() {
        LoadSummary s = new LoadSummary(List.of(write(0, 5, 11), write(1, 6, 0), write(2, 7, 12)));

        assertThat(s.acknowledgedOrderIds()).containsExactly(11L, 12L);
        assertThat(s.firstSuccessStartedAfter(Operation.WRITE, 1.5)).map(RequestRecord::orderId).contains(12L);
    }

    @Test
    void aRequestIsInFlightFromItsStartToItsEnd() {
        RequestRecord r = read(100, 200, FailureKind.NONE, 200);

        assertThat(r.inFlightAt(100)).isTrue();
        assertThat(r.inFlightAt(150)).isTrue();
        assertThat(r.inFlightAt(201)).isFalse();
        assertThat(r.inFlightAt(99)).isFalse();
    }
}
