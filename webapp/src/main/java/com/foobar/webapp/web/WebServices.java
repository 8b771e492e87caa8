package com.foobar.webapp.web;

import com.foobar.webapp.shop.ShopRepository;

import java.util.Objects;

/** What the servlets of one web server share. */
record WebServices(String serverName, ShopRepository shop, Pages pages, ShopMetrics metrics,
                   ReadinessChecker readiness, DatabaseReport database, MetricsScraper scraper) {
    WebServices {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(shop, "shop");
        Objects.requireNonNull(pages, "pages");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(scraper, "scraper");
    }
}
