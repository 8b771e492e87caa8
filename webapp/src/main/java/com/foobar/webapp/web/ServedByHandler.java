package com.foobar.webapp.web;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Stamps {@code X-Served-By} on every response, static files and errors included, before anything below can
 * commit it.
 */
final class ServedByHandler extends Handler.Wrapper {

    static final String HEADER = "X-Served-By";

    private final HttpField field;

    ServedByHandler(String serverName, Handler handler) {
        super(handler);
        this.field = new PreEncodedHttpField(HEADER, serverName);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(field);
        return super.handle(request, response, callback);
    }
}
