package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {
    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void roundTripsMariaDbAndMySqlPositionsThroughCookieSafeText() {
        ConsistencyToken maria = new ConsistencyToken(Flavor.MARIADB, "0-1-42,1-2-7");
        ConsistencyToken mysql = new ConsistencyToken(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11,"
                + "4e11fa47-71ca-11e1-9e33-c80aa9429562:tag_a:1-3");
        for (ConsistencyToken t : new ConsistencyToken[] {maria, mysql}) {
            String encoded = t.encode();
            assertThat(encoded).matches("[A-Za-z0-9_-]+");
            assertThat(ConsistencyToken.parse(encoded)).isEqualTo(t);
            assertThat(ConsistencyToken.parse(encoded).position()).isEqualTo(t.position());
        }
        assertThat(maria.encode().length()).isLessThan(30);
    }

    @Test
    void refusesAnythingItDidNotWriteWithAOneLineReason() {
        assertThatThrownBy(() -> ConsistencyToken.parse("")).isInstanceOf(InvalidConsistencyTokenException.class)
                .hasMessage("consistency token is empty");
        assertThatThrownBy(() -> ConsistencyToken.parse("not base64!")).hasMessage("consistency token is not URL-safe Base64");
        assertThatThrownBy(() -> ConsistencyToken.parse(b64("2M0-1-1"))).hasMessage("consistency token has an unknown version");
        assertThatThrownBy(() -> ConsistencyToken.parse(b64("1X0-1-1")))
                .hasMessage("consistency token names an unknown database flavour");
        assertThatThrownBy(() -> ConsistencyToken.parse(b64("1M0-1-1'; DROP TABLE x")))
                .hasMessage("consistency token does not hold a valid GTID position");
        assertThatThrownBy(() -> ConsistencyToken.parse(b64("1Ynot-a-uuid:1-5")))
                .hasMessage("consistency token does not hold a valid GTID position");
        assertThatThrownBy(() -> ConsistencyToken.parse("A".repeat(ConsistencyToken.MAX_ENCODED_LENGTH + 1)))
                .hasMessage("consistency token is longer than 2048 characters");
    }
}
