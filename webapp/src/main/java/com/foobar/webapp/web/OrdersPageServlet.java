package com.foobar.webapp.web;

import com.foobar.webapp.shop.Order;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;
import java.util.Set;

/**
 * {@code GET /orders}: the caller's orders. {@code POST /orders} takes the order form when the browser runs no
 * script (post/redirect/get), so the shop works without JavaScript too.
 */
final class OrdersPageServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    OrdersPageServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET", "POST");
    }

    @Override
    boolean html(HttpServletRequest req) {
        return true;
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        Visitor visitor = visitor(req, resp);
        String placedText = req.getParameter("placed");
        Long placed = placedText == null || placedText.isEmpty() ? null
                : (long) Params.intParam(req, "placed", 0, 1, Integer.MAX_VALUE);
        List<Order> orders = served(resp, services.shop().ordersOf(visitor.token(), visitor.id()));
        // Only confirm an order the list really shows: the page must never claim what it cannot see.
        Long shown = placed != null && orders.stream().anyMatch(o -> o.id() == placed) ? placed : null;
        sendPage(req, resp, "My orders", services.pages().orders(visitor.id(), orders, shown));
    }

    @Override
    void post(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        Visitor visitor = visitor(req, resp);
        String type = req.getContentType();
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            throw new UnsupportedMediaTypeException("the order form must be posted as a form");
        }
        int productId = Params.requiredInt(req, "product_id", 1, Integer.MAX_VALUE);
        int quantity = Params.requiredInt(req, "quantity", 1, Pages.MAX_QUANTITY);
        Order order = served(resp, services.shop().placeOrder(visitor.id(), productId, quantity,
                services.serverName()));
        services.metrics().orderPlaced();
        resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
        resp.setHeader("Location", "/orders?placed=" + order.id());
    }
}
