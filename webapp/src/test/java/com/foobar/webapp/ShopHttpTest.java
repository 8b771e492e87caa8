package com.foobar.webapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The servlets of one web server, over HTTP, against the shared replicated MariaDB pair. */
class ShopHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebApp app;

    @BeforeAll
    static void start() throws Exception {
        app = SharedDevDb.startWebApp("web-test");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static TestClient client() {
        return new TestClient(app.uri());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static long createProduct(TestClient c, String name, long price, int stock) throws Exception {
        HttpResponse<String> r = c.postJson("/api/products",
                "{\"name\":" + JSON.writeValueAsString(name) + ",\"price_cents\":" + price + ",\"stock\":" + stock
                        + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asLong();
    }

    @Test
    void listsSeededProductsFromAReplicaWithServedByAndDbNodeHeaders() throws Exception {
        HttpResponse<String> r = client().get("/api/products");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(r.headers().firstValue("X-Served-By")).contains("web-test");
        assertThat(r.headers().firstValue("X-Db-Node")).contains("replica-1");
        JsonNode body = json(r);
        assertThat(body.get("total").asLong()).isGreaterThanOrEqualTo(8);
        assertThat(body.get("items").get(0).get("name").asText()).isEqualTo("Foo Widget");
        assertThat(body.get("items").get(0).has("price_cents")).isTrue();
    }

    @Test
    void searchesByNameAndPages() throws Exception {
        TestClient c = client();
        String tag = "Pager" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            createProduct(c, tag + " item " + i, 100 + i, 5);
        }
        JsonNode page1 = json(c.get("/api/products?q=" + tag + "&size=2&page=1"));
        assertThat(page1.get("total").asLong()).isEqualTo(3);
        assertThat(page1.get("items")).hasSize(2);
        JsonNode page2 = json(c.get("/api/products?q=" + tag + "&size=2&page=2"));
        assertThat(page2.get("items")).hasSize(1);
        assertThat(page2.get("items").get(0).get("name").asText()).isEqualTo(tag + " item 2");
        assertThat(json(c.get("/api/products?q=%25%25nothing" + tag)).get("total").asLong()).isZero();
    }

    @Test
    void createsAProductWith201AndLocationThenReadsItBackAtOnce() throws Exception {
        TestClient c = client();
        HttpResponse<String> r = c.postJson("/api/products",
                "{\"name\":\"Created Thing\",\"description\":\"new\",\"price_cents\":1234,\"stock\":7}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("X-Db-Node")).contains("primary");
        long id = json(r).get("id").asLong();
        assertThat(r.headers().firstValue("Location")).contains("/api/products/" + id);
        assertThat(c.cookie("foobar_consistency")).isNotBlank();

        HttpResponse<String> back = c.get("/api/products/" + id);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(json(back).get("price_cents").asLong()).isEqualTo(1234);
        assertThat(json(back).get("stock").asInt()).isEqualTo(7);
    }

    @Test
    void rejectsInvalidProductsWith400NamingTheField() throws Exception {
        TestClient c = client();
        assertError(c.postJson("/api/products", "{\"price_cents\":1,\"stock\":1}"), 400, "name");
        assertError(c.postJson("/api/products", "{\"name\":\"  \",\"price_cents\":1,\"stock\":1}"), 400, "name");
        assertError(c.postJson("/api/products", "{\"name\":\"x\",\"price_cents\":-1,\"stock\":1}"), 400,
                "price_cents");
        assertError(c.postJson("/api/products", "{\"name\":\"x\",\"price_cents\":1.5,\"stock\":1}"), 400,
                "price_cents");
        assertError(c.postJson("/api/products", "{\"name\":\"x\",\"price_cents\":1,\"stock\":\"many\"}"), 400,
                "stock");
        assertError(c.postJson("/api/products", "{\"name\":\"x\",\"price_cents\":1,\"stock\":1,\"colour\":1}"),
                400, "colour");
        assertError(c.postJson("/api/products", "{not json"), 400, "body");
        assertError(c.postJson("/api/products", "[1,2]"), 400, "body");
        HttpResponse<String> wrongType = c.send("POST", "/api/products", "text/plain", "name=x");
        assertThat(wrongType.statusCode()).isEqualTo(415);
    }

    @Test
    void badQueryParametersGet400() throws Exception {
        assertError(client().get("/api/products?page=0"), 400, "page");
        assertError(client().get("/api/products?size=abc"), 400, "size");
        assertError(client().get("/api/products?size=1000"), 400, "size");
    }

    @Test
    void placesAnOrderDecrementingStockAndListsItForThatVisitorOnly() throws Exception {
        TestClient alice = client();
        long product = createProduct(alice, "Order Me", 250, 10);
        HttpResponse<String> placed = alice.postJson("/api/orders",
                "{\"product_id\":" + product + ",\"quantity\":3}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(placed.headers().firstValue("X-Db-Node")).contains("primary");
        JsonNode order = json(placed);
        assertThat(order.get("total_cents").asLong()).isEqualTo(750);
        assertThat(order.get("served_by").asText()).isEqualTo("web-test");
        assertThat(placed.headers().firstValue("Location")).contains("/api/orders/" + order.get("id").asLong());
        assertThat(alice.cookie("foobar_visitor")).matches("[0-9a-f-]{36}");

        JsonNode mine = json(alice.get("/api/orders"));
        assertThat(mine.get("orders")).hasSize(1);
        assertThat(mine.get("orders").get(0).get("product_name").asText()).isEqualTo("Order Me");
        assertThat(json(alice.get("/api/products/" + product)).get("stock").asInt()).isEqualTo(7);
        assertThat(alice.get("/api/orders/" + order.get("id").asLong()).statusCode()).isEqualTo(200);

        TestClient bob = client();
        assertThat(json(bob.get("/api/orders")).get("orders")).isEmpty();
        assertThat(bob.get("/api/orders/" + order.get("id").asLong()).statusCode()).isEqualTo(404);
    }

    @Test
    void answers409WhenStockIsShortAndLeavesStockUntouched() throws Exception {
        TestClient c = client();
        long product = createProduct(c, "Scarce", 100, 2);
        HttpResponse<String> tooMany = c.postJson("/api/orders", "{\"product_id\":" + product + ",\"quantity\":3}");
        assertError(tooMany, 409, "quantity");
        assertThat(tooMany.headers().firstValue("X-Db-Node")).contains("primary");
        assertThat(json(c.get("/api/products/" + product)).get("stock").asInt()).isEqualTo(2);
        assertThat(json(c.get("/api/orders")).get("orders")).isEmpty();
        assertThat(c.postJson("/api/orders", "{\"product_id\":" + product + ",\"quantity\":2}").statusCode())
                .isEqualTo(201);
        assertError(c.postJson("/api/orders", "{\"product_id\":" + product + ",\"quantity\":1}"), 409, "quantity");
    }

    @Test
    void aSeededProductIsRestockedToItsSeedLevelInsteadOfSellingOut() throws Exception {
        TestClient c = client();
        long grault = 0;
        for (JsonNode p : json(c.get("/api/products?size=100")).get("items")) {
            if (p.get("name").asText().equals("Grault Contraption")) {
                grault = p.get("id").asLong();
            }
        }
        assertThat(grault).as("the seeded product with the least stock (restock level 25)").isPositive();
        int expected = json(c.get("/api/products/" + grault)).get("stock").asInt();
        // More than twice its seed stock, ordered in fives: without restocking it would sell out within five orders.
        for (int i = 0; i < 12; i++) {
            assertThat(c.postJson("/api/orders", "{\"product_id\":" + grault + ",\"quantity\":5}").statusCode())
                    .as("order %d", i).isEqualTo(201);
            if (expected < 5) {
                expected = 25;
            }
            expected -= 5;
        }
        assertThat(json(c.get("/api/products/" + grault)).get("stock").asInt()).isEqualTo(expected);
    }

    @Test
    void rejectsOrdersForUnknownProductsOrBadQuantities() throws Exception {
        TestClient c = client();
        assertError(c.postJson("/api/orders", "{\"product_id\":999999999,\"quantity\":1}"), 404, "product_id");
        assertError(c.postJson("/api/orders", "{\"product_id\":1,\"quantity\":0}"), 400, "quantity");
        assertError(c.postJson("/api/orders", "{\"product_id\":1,\"quantity\":101}"), 400, "quantity");
        assertError(c.postJson("/api/orders", "{\"quantity\":1}"), 400, "product_id");
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405WithoutStackTraces() throws Exception {
        TestClient c = client();
        HttpResponse<String> api404 = c.get("/api/nothing");
        assertError(api404, 404, null);
        HttpResponse<String> page404 = c.get("/no/such/page", "Accept", "text/html");
        assertThat(page404.statusCode()).isEqualTo(404);
        assertThat(page404.body()).contains("404 Not Found").contains("web-test");
        assertThat(c.get("/api/products/abc").statusCode()).isEqualTo(404);
        assertThat(c.get("/api/products/999999999").statusCode()).isEqualTo(404);
        assertThat(c.get("/products/999999999").statusCode()).isEqualTo(404);

        HttpResponse<String> delete = c.send("DELETE", "/api/products", null, null);
        assertError(delete, 405, null);
        assertThat(delete.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS, POST");
        assertThat(c.send("POST", "/health", "application/json", "{}").statusCode()).isEqualTo(405);
        assertThat(c.send("PUT", "/api/orders", "application/json", "{}").statusCode()).isEqualTo(405);
        for (HttpResponse<String> r : java.util.List.of(api404, page404, delete)) {
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.");
            assertThat(r.headers().firstValue("X-Served-By")).contains("web-test");
        }
    }

    @Test
    void escapesProductNamesInHtml() throws Exception {
        TestClient c = client();
        String evil = "<script>alert('x')</script> & Co";
        long id = createProduct(c, evil, 1, 1);
        HttpResponse<String> page = c.get("/products/" + id);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co")
                .doesNotContain("<script>alert");
        HttpResponse<String> search = c.get("/?q=%3Cscript%3E");
        assertThat(search.body()).doesNotContain("<script>alert").contains("value=\"&lt;script&gt;\"");
    }

    @Test
    void homePageShowsProductsAndTheFooterNamesServerAndDbNode() throws Exception {
        TestClient c = client();
        HttpResponse<String> home = c.get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(home.body()).contains("Foo Widget").contains("<link rel=\"stylesheet\" href=\"/static/style.css\">")
                .contains("<strong id=\"served-by\">web-test</strong>")
                .contains("<strong id=\"db-node\">replica-1</strong>");
        assertThat(home.headers().allValues("Set-Cookie")).anySatisfy(v -> assertThat(v)
                .startsWith("foobar_visitor=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax"));
        assertThat(c.get("/").headers().allValues("Set-Cookie")).noneSatisfy(v -> assertThat(v)
                .startsWith("foobar_visitor="));
    }

    @Test
    void orderFormPostRedirectsToMyOrdersWhichShowsTheOrder() throws Exception {
        TestClient c = client();
        long id = createProduct(c, "Form Thing", 500, 5);
        HttpResponse<String> post = c.send("POST", "/orders", "application/x-www-form-urlencoded",
                "product_id=" + id + "&quantity=2");
        assertThat(post.statusCode()).isEqualTo(303);
        String location = post.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/orders?placed=");
        HttpResponse<String> orders = c.get(location);
        assertThat(orders.statusCode()).isEqualTo(200);
        assertThat(orders.body()).contains("Form Thing").contains("$10.00").contains("placed.");
    }

    @Test
    void servesStaticAssetsWithEtagCacheControlAndGzip() throws Exception {
        TestClient c = client();
        HttpResponse<byte[]> css = c.getBytes("/static/style.css", "Accept-Encoding", "gzip");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/css"));
        assertThat(css.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(css.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        assertThat(css.headers().firstValue("X-Served-By")).contains("web-test");
        String etag = css.headers().firstValue("ETag").orElseThrow();
        assertThat(css.headers().firstValue("Last-Modified")).isPresent();
        String text;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(css.body()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).contains("font:");

        HttpResponse<byte[]> again = c.getBytes("/static/style.css", "Accept-Encoding", "gzip", "If-None-Match",
                etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(c.get("/static/app.js").statusCode()).isEqualTo(200);
        assertThat(c.get("/static/logo.svg").headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(c.get("/static/missing.css").statusCode()).isEqualTo(404);
        assertThat(c.get("/static/").statusCode()).isIn(403, 404);
    }

    @Test
    void operationsEndpointsAnswer() throws Exception {
        TestClient c = client();
        assertThat(c.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = c.get("/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("READY");
        c.get("/api/products");
        HttpResponse<String> metrics = c.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("webapp_http_requests_seconds_count")
                .contains("route=\"products_api\"").contains("webapp_orders_placed_total")
                .contains("hikaricp_connections").contains("db_router_");
    }

    @Test
    void statusShowsTheDatabaseTierAsTheRouterSeesItWithStatementsPerNode() throws Exception {
        TestClient c = client();
        JsonNode before = json(c.get("/api/status"));
        createProduct(c, "status probe", 100, 1);
        c.get("/api/products");
        HttpResponse<String> r = c.get("/api/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode after = json(r);
        assertThat(after.get("server").asText()).isEqualTo("web-test");
        assertThat(after.get("ready").asBoolean()).as(after.toString()).isTrue();
        assertThat(after.get("requests").asLong()).isGreaterThan(before.get("requests").asLong());
        assertThat(after.get("server_errors").isIntegralNumber()).isTrue();
        JsonNode db = after.get("database");
        assertThat(db.get("writer_state").asText()).isEqualTo("one_writer");
        String writer = db.get("writer").asText();
        JsonNode nodes = db.get("nodes");
        assertThat(nodes).hasSize(2);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            JsonNode was = before.get("database").get("nodes").get(i);
            assertThat(n.get("up").asBoolean()).as(n.toString()).isTrue();
            assertThat(n.get("address").asText()).as("host:port of its JDBC URL").matches("127\\.0\\.0\\.1:\\d+");
            if (n.get("name").asText().equals(writer)) {
                assertThat(n.get("role").asText()).isEqualTo("writer");
                assertThat(n.get("writes").asLong()).as("writes to the writer").isGreaterThan(was.get("writes").asLong());
            } else {
                assertThat(n.get("role").asText()).isEqualTo("replica");
                assertThat(n.get("usable").asBoolean()).as(n.toString()).isTrue();
                assertThat(n.get("lag_seconds").isNumber()).as(n.toString()).isTrue();
                assertThat(n.get("reads").asLong()).as("reads on the replica").isGreaterThan(was.get("reads").asLong());
            }
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String field) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.get("error").asText()).isNotBlank().doesNotContain("\n");
        if (field == null) {
            assertThat(body.get("field").isNull()).isTrue();
        } else {
            assertThat(body.get("field").asText()).isEqualTo(field);
        }
    }
}
