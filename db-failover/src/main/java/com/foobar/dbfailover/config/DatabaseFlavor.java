package com.foobar.dbfailover.config;

/** Which server the nodes run; {@code AUTO} asks the first node that answers. */
public enum DatabaseFlavor {
    AUTO, MARIADB, MYSQL
}
