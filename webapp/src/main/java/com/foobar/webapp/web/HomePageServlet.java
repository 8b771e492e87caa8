package com.foobar.webapp.web;

import com.foobar.webapp.shop.ProductPage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Set;

/** {@code GET /}: the product list, searchable and paged like the API. */
final class HomePageServlet extends Endpoint {

    private static final long serialVersionUID = 1L;
    static final int PAGE_SIZE = 24;

    HomePageServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    boolean html(HttpServletRequest req) {
        return true;
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        Visitor visitor = visitor(req, resp);
        String q = Params.text(req, "q", ProductsApiServlet.MAX_QUERY_LENGTH);
        int page = Params.intParam(req, "page", 1, 1, ProductsApiServlet.MAX_PAGE);
        ProductPage products = served(resp, services.shop().listProducts(visitor.token(), q, page, PAGE_SIZE));
        sendPage(req, resp, "Shop", services.pages().home(products));
    }
}
