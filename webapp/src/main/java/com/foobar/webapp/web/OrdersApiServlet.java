package com.foobar.webapp.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.foobar.webapp.shop.Order;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/orders} places an order on the primary and hands back the consistency token;
 * {@code GET /api/orders} lists the caller's orders from a replica that has caught up with that token;
 * {@code GET /api/orders/{id}} is one of the caller's orders.
 */
final class OrdersApiServlet extends Endpoint {

    private static final long serialVersionUID = 1L;
    private static final Set<String> FIELDS = Set.of("product_id", "quantity");

    OrdersApiServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET", "POST");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        Visitor visitor = visitor(req, resp);
        String path = req.getPathInfo();
        List<Order> orders = served(resp, services.shop().ordersOf(visitor.token(), visitor.id()));
        if (path == null || path.equals("/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("visitor", visitor.id());
            body.put("orders", orders);
            sendJson(resp, body);
            return;
        }
        long id = idFrom(path.substring(1));
        Order order = orders.stream().filter(o -> o.id() == id).findFirst()
                .orElseThrow(() -> new ResourceNotFoundException("you have no order " + id));
        sendJson(resp, order);
    }

    @Override
    void post(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        String path = req.getPathInfo();
        if (path != null && !path.equals("/")) {
            resp.setHeader("Allow", "GET, HEAD, OPTIONS");
            throw new MethodNotAllowedException("POST is not allowed here; use GET, HEAD, OPTIONS");
        }
        Visitor visitor = visitor(req, resp);
        JsonNode body = Json.readObject(req.getContentType(), req.getInputStream());
        Json.rejectUnknownFields(body, FIELDS);
        long productId = Json.requiredLong(body, "product_id", 1, Long.MAX_VALUE);
        int quantity = (int) Json.requiredLong(body, "quantity", 1, Pages.MAX_QUANTITY);
        Order order = served(resp, services.shop().placeOrder(visitor.id(), productId, quantity,
                services.serverName()));
        services.metrics().orderPlaced();
        resp.setStatus(HttpServletResponse.SC_CREATED);
        resp.setHeader("Location", "/api/orders/" + order.id());
        sendJson(resp, order);
    }
}
