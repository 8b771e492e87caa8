package com.foobar.dbfailover.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two GTID models the decider ranks candidates and finds errant transactions with. */
class GtidModelTest {

    @Test
    void mariaDbReplicaThatReceivedMoreIsAheadEvenBeforeApplyingIt() {
        MariaDbGtidState behind = MariaDbGtidState.of("0-1-100", "0-1-100", "0-1-100", "0-1-100");
        MariaDbGtidState ahead = MariaDbGtidState.of("0-1-100", "0-1-100", "0-1-100", "0-1-103");
        assertThat(ahead.compareReceived(behind)).isEqualTo(Progress.AHEAD);
        assertThat(behind.compareReceived(ahead)).isEqualTo(Progress.BEHIND);
        assertThat(ahead.compareExecuted(behind)).isEqualTo(Progress.EQUAL);
        assertThat(ahead.hasUnapplied()).isTrue();
        assertThat(ahead.received()).isEqualTo("0-1-103");
    }

    @Test
    void mariaDbOldPrimaryWithCommitsTheNewPrimaryLacksHasThemAsErrant() {
        // The old primary (server 1) wrote up to 105; the new primary (server 2) got up to 100 and wrote 101-102.
        MariaDbGtidState old = MariaDbGtidState.of("0-1-105", "", "0-1-105", "");
        MariaDbGtidState promoted = MariaDbGtidState.of("0-2-102", "0-1-100", "0-1-100,0-2-102", "");
        Errant errant = old.errantAgainst(promoted);
        assertThat(errant.any()).isTrue();
        assertThat(errant.toString()).isEqualTo("0-1-101..0-1-105");
        assertThat(errant.transactions()).isEqualTo(5);
        // The same old primary with nothing beyond what the new one has is clean.
        assertThat(MariaDbGtidState.of("0-1-100", "", "0-1-100", "").errantAgainst(promoted).any()).isFalse();
    }

    @Test
    void mySqlSetsUnionSubtractAndCount() {
        MySqlGtidSet a = MySqlGtidSet.parse("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7, 4e11fa47-71ca-11e1-9e33-c80aa9429562:1");
        MySqlGtidSet b = MySqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3");
        assertThat(a.count()).isEqualTo(7);
        assertThat(a.minus(b).toString())
                .isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:4-5:7,4e11fa47-71ca-11e1-9e33-c80aa9429562:1");
        assertThat(b.union(MySqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:4-6")).toString())
                .isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-6");
        assertThat(a.compare(b)).isEqualTo(Progress.AHEAD);
        assertThat(MySqlGtidSet.parse("").isEmpty()).isTrue();
    }

    @Test
    void mySqlTaggedGtidsAreTheirOwnSeries() {
        MySqlGtidSet tagged = MySqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:ops:1-2");
        assertThat(tagged.count()).isEqualTo(5);
        assertThat(tagged.minus(MySqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3")).toString())
                .isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:ops:1-2");
    }

    @Test
    void mySqlErrantIsWhatTheNodeExecutedBeyondThePrimary() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        MySqlGtidState old = MySqlGtidState.of(uuid + ":1-105", "");
        MySqlGtidState promoted = MySqlGtidState.of(uuid + ":1-100,5e11fa47-71ca-11e1-9e33-c80aa9429562:1-2", "");
        Errant errant = old.errantAgainst(promoted);
        assertThat(errant.toString()).isEqualTo(uuid + ":101-105");
        assertThat(errant.transactions()).isEqualTo(5);
        // A replica that retrieved more than it executed ranks by what it retrieved.
        MySqlGtidState received = MySqlGtidState.of(uuid + ":1-100", uuid + ":1-104");
        assertThat(received.compareReceived(MySqlGtidState.of(uuid + ":1-102", ""))).isEqualTo(Progress.AHEAD);
        assertThat(received.hasUnapplied()).isTrue();
    }

    @Test
    void mySqlGarbageIsRefusedWithTheReason() {
        assertThatThrownBy(() -> MySqlGtidSet.parse("not-a-uuid:1-5")).hasMessageContaining("server UUID");
        assertThatThrownBy(() -> MySqlGtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:5-1"))
                .hasMessageContaining("is not an interval");
    }
}
