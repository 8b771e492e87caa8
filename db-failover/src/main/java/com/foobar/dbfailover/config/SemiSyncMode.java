package com.foobar.dbfailover.config;

/**
 * What the decider does with semi-synchronous replication when it changes roles.
 *
 * <ul>
 *   <li>{@code AUTO}: keep what the nodes had: if the old primary had its primary side on (or any replica its replica
 *       side), the new primary gets the primary side on and re-attached nodes the replica side;</li>
 *   <li>{@code ON}: always so;</li>
 *   <li>{@code OFF}: never touch it.</li>
 * </ul>
 */
public enum SemiSyncMode {
    AUTO, ON, OFF
}
