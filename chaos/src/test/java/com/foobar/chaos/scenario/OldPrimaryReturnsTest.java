package com.foobar.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.chaos.stacks.Database;
import org.junit.jupiter.api.Test;

class OldPrimaryReturnsTest {

    private static Database.NodeState node(String gtids) {
        return new Database.NodeState("n", true, true, true, "", gtids, "");
    }

    @Test
    void aGtidOfItsOwnServerBeyondTheWritersIsErrant() {
        Database.NodeState oldPrimary = node("0-1-120,0-2-45");
        Database.NodeState writer = node("0-1-118,0-2-60");

        assertThat(OldPrimaryReturns.errant(oldPrimary, writer)).containsExactly("0-1-120");
    }

    @Test
    void aNodeBehindOrEqualHasNoErrantGtid() {
        assertThat(OldPrimaryReturns.errant(node("0-1-118"), node("0-1-118,0-2-60"))).isEmpty();
        assertThat(OldPrimaryReturns.errant(node(""), node("0-1-1"))).isEmpty();
    }

    @Test
    void aServerTheWriterNeverSawMakesEveryOneOfItsGtidsErrant() {
        assertThat(OldPrimaryReturns.errant(node("1-3-5"), node("0-1-118"))).containsExactly("1-3-5");
    }
}
