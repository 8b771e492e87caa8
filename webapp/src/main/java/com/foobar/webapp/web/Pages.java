package com.foobar.webapp.web;

import com.foobar.webapp.shop.Order;
import com.foobar.webapp.shop.Product;
import com.foobar.webapp.shop.ProductPage;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders the shop's pages from the templates; every dynamic value goes through {@link Template}'s escaping. */
final class Pages {

    /** Upper bound of one order's quantity, shared by the form and the API's validation. */
    static final int MAX_QUANTITY = 100;

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Template layout = Template.load("layout");
    private final Template home = Template.load("home");
    private final Template productCard = Template.load("product-card");
    private final Template orderForm = Template.load("order-form");
    private final Template product = Template.load("product");
    private final Template orders = Template.load("orders");
    private final Template ordersTable = Template.load("orders-table");
    private final Template orderRow = Template.load("order-row");
    private final Template error = Template.load("error");

    Html layout(String title, Html content, String servedBy, String dbNode) {
        return layout.render(Map.of("title", title, "content", content, "servedBy", servedBy, "dbNode", dbNode));
    }

    Html home(ProductPage page) {
        List<Html> cards = new ArrayList<>();
        for (Product p : page.items()) {
            cards.add(productCard.render(productValues(p)));
        }
        String summary = page.total() == 0 ? "No products match."
                : page.total() + (page.total() == 1 ? " product" : " products")
                + (page.q().isEmpty() ? "" : " matching \u201c" + page.q() + "\u201d");
        StringBuilder pager = new StringBuilder();
        String q = page.q().isEmpty() ? "" : "&q=" + URLEncoder.encode(page.q(), StandardCharsets.UTF_8);
        if (page.page() > 1) {
            pager.append("<a rel=\"prev\" href=\"/?page=").append(page.page() - 1).append(Html.escape(q))
                    .append("\">&larr; Previous</a>");
        }
        if ((long) page.page() * page.size() < page.total()) {
            pager.append("<a rel=\"next\" href=\"/?page=").append(page.page() + 1).append(Html.escape(q))
                    .append("\">Next &rarr;</a>");
        }
        return home.render(Map.of("q", page.q(), "summary", summary, "products", Html.join(cards),
                "pager", new Html(pager.toString())));
    }

    Html product(Product p) {
        return product.render(productValues(p));
    }

    Html orders(String visitorId, List<Order> list, Long placed) {
        Html notice = Html.EMPTY;
        if (placed != null) {
            notice = new Html("<p class=\"flash ok\" id=\"placed\">Order #" + placed + " placed.</p>");
        }
        Html table;
        if (list.isEmpty()) {
            table = new Html("<p class=\"empty\">No orders yet. <a href=\"/\">Find something you like.</a></p>");
        } else {
            List<Html> rows = new ArrayList<>();
            for (Order o : list) {
                rows.add(orderRow.render(Map.of("id", o.id(), "productId", o.productId(), "product",
                        o.productName(), "quantity", o.quantity(), "total", money(o.totalCents()),
                        "servedBy", o.servedBy(), "createdAt", o.createdAt().toString(),
                        "created", WHEN.format(o.createdAt()))));
            }
            table = ordersTable.render(Map.of("rows", Html.join(rows)));
        }
        return orders.render(Map.of("notice", notice, "visitor", visitorId, "table", table));
    }

    Html error(int status, String message) {
        return error.render(Map.of("status", status, "reason", reason(status), "message", message));
    }

    private Map<String, Object> productValues(Product p) {
        Html form = p.stock() > 0
                ? orderForm.render(Map.of("id", p.id(), "max", Math.min(MAX_QUANTITY, p.stock())))
                : new Html("<p class=\"muted sold-out\">Sold out.</p>");
        return Map.of("id", p.id(), "name", p.name(), "description", p.description(), "price",
                money(p.priceCents()), "stock", p.stock(), "orderForm", form);
    }

    static String money(long cents) {
        return String.format(java.util.Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Server Error" : "Error";
        };
    }
}
