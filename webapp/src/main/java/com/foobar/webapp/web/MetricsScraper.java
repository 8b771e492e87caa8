package com.foobar.webapp.web;

/** Renders the Prometheus text exposition of the app's registry. */
@FunctionalInterface
interface MetricsScraper {
    String scrape();
}
