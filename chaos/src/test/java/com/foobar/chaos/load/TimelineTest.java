package com.foobar.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static RequestRecord at(double start, FailureKind kind, int status) {
        return new RequestRecord(Operation.READ, "/", start, start + 5000, status, kind, null, null, 0, "");
    }

    @Test
    void requestsAreCountedInTheHundredMillisecondsTheyStartedInWithEmptyBucketsKept() {
        Timeline t = Timeline.of(List.of(
                at(10, FailureKind.NONE, 200),
                at(90, FailureKind.NONE, 200),
                at(150, FailureKind.HTTP_STATUS, 502),
                at(420, FailureKind.TIMEOUT, 0),
                at(430, FailureKind.HTTP_STATUS, 502)));

        assertThat(t.buckets()).extracting(Timeline.Bucket::startMs).containsExactly(0.0, 100.0, 200.0, 300.0, 400.0);
        assertThat(t.buckets().get(0).ok()).isEqualTo(2);
        assertThat(t.buckets().get(1).failures()).containsEntry("502", 1);
        assertThat(t.buckets().get(2).ok() + t.buckets().get(2).failed()).isZero();
        assertThat(t.buckets().get(4).failures()).containsEntry("timeout", 1).containsEntry("502", 1);
        assertThat(t.failureLabels()).containsExactly("502", "timeout");
    }

    @Test
    void noRequestsMeansNoBuckets() {
        assertThat(Timeline.of(List.of()).buckets()).isEmpty();
    }
}
