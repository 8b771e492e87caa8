package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.FailureKind;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static com.foobar.balancer.proxy.RetryPolicy.Verdict.BODY_NOT_HELD;
import static com.foobar.balancer.proxy.RetryPolicy.Verdict.NOT_IDEMPOTENT;
import static com.foobar.balancer.proxy.RetryPolicy.Verdict.NOT_RETRIED_ON;
import static com.foobar.balancer.proxy.RetryPolicy.Verdict.NO_ATTEMPTS_LEFT;
import static com.foobar.balancer.proxy.RetryPolicy.Verdict.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private final RetryPolicy twoRetries = RetryPolicy.allowing(2);

    @Test
    void aRequestThatReachedNoServerIsRetriedWhateverItsMethod() {
        assertThat(twoRetries.decide(1, FailureKind.CONNECT_REFUSED, false, false, true)).isEqualTo(RETRY);
        assertThat(twoRetries.decide(1, FailureKind.CONNECT_TIMEOUT, false, false, true)).isEqualTo(RETRY);
        assertThat(twoRetries.decide(1, FailureKind.CONNECTION_RESET, false, false, true)).isEqualTo(RETRY);
    }

    @Test
    void aNonIdempotentRequestThatReachedAServerIsNeverReplayed() {
        assertThat(twoRetries.decide(1, FailureKind.CONNECTION_RESET, false, true, true)).isEqualTo(NOT_IDEMPOTENT);
        assertThat(twoRetries.decide(1, FailureKind.CONNECTION_RESET, true, true, true)).isEqualTo(RETRY);
    }

    @Test
    void aBodyNoLongerHeldCannotBeSentAgain() {
        assertThat(twoRetries.decide(1, FailureKind.CONNECT_REFUSED, true, false, false)).isEqualTo(BODY_NOT_HELD);
    }

    @Test
    void timeoutsAndProtocolErrorsAreNotRetried() {
        assertThat(twoRetries.decide(1, FailureKind.RESPONSE_TIMEOUT, true, false, true)).isEqualTo(NOT_RETRIED_ON);
        assertThat(twoRetries.decide(1, FailureKind.PROTOCOL_ERROR, true, false, true)).isEqualTo(NOT_RETRIED_ON);
    }

    @Test
    void retriesAreCountedAgainstThePoolsSetting() {
        assertThat(twoRetries.maxAttempts()).isEqualTo(3);
        assertThat(twoRetries.decide(2, FailureKind.CONNECT_REFUSED, true, false, true)).isEqualTo(RETRY);
        assertThat(twoRetries.decide(3, FailureKind.CONNECT_REFUSED, true, false, true)).isEqualTo(NO_ATTEMPTS_LEFT);
        assertThat(RetryPolicy.allowing(0).decide(1, FailureKind.CONNECT_REFUSED, true, false, true))
                .isEqualTo(NO_ATTEMPTS_LEFT);
        assertThat(RetryPolicy.allowing(2)).as("shared, not made per request").isSameAs(twoRetries);
    }

    @Test
    void theClientsAnswerFollowsHowTheAttemptFailed() {
        assertThat(RetryPolicy.statusFor(FailureKind.CONNECT_REFUSED)).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(RetryPolicy.statusFor(FailureKind.CONNECT_TIMEOUT)).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(RetryPolicy.statusFor(FailureKind.RESPONSE_TIMEOUT)).isEqualTo(HttpResponseStatus.GATEWAY_TIMEOUT);
        assertThat(RetryPolicy.statusFor(FailureKind.CONNECTION_RESET)).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
        assertThat(RetryPolicy.statusFor(FailureKind.PROTOCOL_ERROR)).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    }
}
