// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/server.h"
#include "core/http/beast_pch.h"
#include "core/http/websocket.h"
#include "core/log.h"
#include <array>
#include <atomic>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <fcntl.h>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace cartable::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::experimental::as_tuple(net::use_awaitable);

namespace {

constexpr std::string_view CONTENT_SECURITY_POLICY
    = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
      "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

struct Connection {
    beast::tcp_stream* stream { nullptr };
    std::atomic<bool> busy { false }; // read by the shutdown without the lock
};

class WebSocketSession;

struct ServerState {
    ServerOptions const& options;
    Application& application;
    net::io_context io;
    net::thread_pool workers;
    net::thread_pool slow;
    std::atomic<bool> stopping { false };
    std::mutex mutex;
    std::list<Connection> connections;
    // Upgraded connections, closed (normal closure) when the server stops.
    std::list<std::weak_ptr<WebSocketSession>> websockets;

    ServerState(ServerOptions const& server_options, Application& app)
        : options(server_options)
        , application(app)
        , io(server_options.io_threads)
        , workers(static_cast<std::size_t>(server_options.worker_threads))
        , slow(static_cast<std::size_t>(server_options.slow_threads))
    { }
};

// Sent with every response, written once.
std::string const SECURITY_HEADERS = "Content-Security-Policy: " + std::string(CONTENT_SECURITY_POLICY)
    + "\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: same-origin\r\nX-Frame-Options: DENY\r\n";

// Fills our Request from Beast's header; fails (400) on a path or query
// that does not decode to UTF-8.
bool fill_request(bhttp::request_parser<bhttp::empty_body> const& parser, Request& request)
{
    auto const& message = parser.get();
    request.method = method_from_name(std::string_view(message.method_string().data(), message.method_string().size()));
    request.target = std::string(message.target());
    for (auto const& field : message) {
        std::string name(field.name_string());
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    std::string_view target = request.target;
    if (target.empty() || target.front() != '/')
        return false;
    auto question = target.find('?');
    auto raw_path = target.substr(0, question);
    auto path = percent_decode(raw_path, false);
    if (path.is_error() || !is_valid_utf8(path.value()) || path.value().find('\0') != std::string::npos)
        return false;
    request.path = path.release_value();
    if (question != std::string_view::npos) {
        auto query = parse_urlencoded(target.substr(question + 1));
        if (query.is_error())
            return false;
        request.query = query.release_value();
    }
    return true;
}

// The status line and headers, written by hand: Beast's serializer and its
// per-field allocations cost a fifth of the I/O thread's time per page.
std::string response_head(Response const& response, std::uint64_t content_length, bool keep_alive, unsigned version)
{
    std::string head;
    head.reserve(512);
    head += "HTTP/1.1 ";
    head += std::to_string(response.status);
    head += ' ';
    head += status_reason(response.status);
    head += "\r\n";
    for (auto const& [name, value] : response.headers) {
        // A header carrying a line break would let a value forge headers.
        if (name.find_first_of("\r\n:") != std::string::npos || value.find_first_of("\r\n") != std::string::npos)
            continue;
        head += name;
        head += ": ";
        head += value;
        head += "\r\n";
    }
    head += SECURITY_HEADERS;
    if (!(response.status == 304 || response.status == 204 || (response.status >= 100 && response.status < 200))) {
        head += "Content-Length: ";
        head += std::to_string(content_length);
        head += "\r\n";
    }
    if (!keep_alive && version >= 11)
        head += "Connection: close\r\n";
    else if (keep_alive && version < 11)
        head += "Connection: keep-alive\r\n";
    head += "\r\n";
    return head;
}

net::awaitable<std::size_t> write_response(
    beast::tcp_stream& stream, Response& response, bool keep_alive, bool head, unsigned version)
{
    if (!response.file) {
        auto size = response.body.size();
        auto status_and_headers = response_head(response, size, keep_alive, version);
        if (head || size == 0) {
            co_await net::async_write(stream, net::buffer(status_and_headers), net::use_awaitable);
            co_return 0;
        }
        std::array<net::const_buffer, 2> buffers { net::buffer(status_and_headers), net::buffer(response.body) };
        co_await net::async_write(stream, buffers, net::use_awaitable);
        co_return size;
    }

    auto const& file = *response.file;
    auto status_and_headers = response_head(response, file.length, keep_alive, version);
    co_await net::async_write(stream, net::buffer(status_and_headers), net::use_awaitable);
    if (head)
        co_return 0;
    int descriptor = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        throw std::runtime_error("cannot open a file being sent");
    // Large pieces for large files (a shared folder's 100 Mo video): four
    // times fewer system calls than 64 KiB.
    std::vector<char> chunk(
        file.length > (std::uint64_t { 1 } << 20) ? std::size_t { 256 } * 1024 : std::size_t { 64 } * 1024);
    std::uint64_t sent = 0;
    try {
        while (sent < file.length) {
            auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), file.length - sent));
            auto got = ::pread(descriptor, chunk.data(), wanted, static_cast<off_t>(file.offset + sent));
            if (got <= 0)
                throw std::runtime_error("short read on a file being sent");
            co_await net::async_write(
                stream, net::buffer(chunk.data(), static_cast<std::size_t>(got)), net::use_awaitable);
            sent += static_cast<std::uint64_t>(got);
        }
    } catch (...) {
        ::close(descriptor);
        throw;
    }
    ::close(descriptor);
    co_return sent;
}

void remove_uploads(Request const& request)
{
    std::error_code ignored;
    for (auto const& file : request.files)
        std::filesystem::remove(file.path, ignored);
}

net::awaitable<Response> run_handler(ServerState& state, Request& request)
{
    auto lane = state.application.lane(request);
    if (lane == Lane::Inline)
        co_return state.application.handle(request);
    auto& pool = lane == Lane::Slow ? state.slow : state.workers;
    co_return co_await net::co_spawn(
        pool.get_executor(), [&]() -> net::awaitable<Response> { co_return state.application.handle(request); },
        net::use_awaitable);
}

// Reads the body of a request: a multipart body goes through the streaming
// parser to files on disk, anything else into memory within max_body_bytes.
// Returns 0 when all is well, or the status to refuse with.
net::awaitable<int> read_body(ServerState& state, beast::tcp_stream& stream, beast::flat_buffer& buffer,
    bhttp::request_parser<bhttp::empty_body>& header_parser, Request& request, bool& keep_alive)
{
    auto const& options = state.options;
    auto boundary = multipart_boundary(request.header("content-type"));
    auto declared = header_parser.content_length();
    auto limit = boundary ? options.max_upload_bytes : options.max_body_bytes;
    if (declared && *declared > limit)
        co_return 413;
    // A client that asks before sending its body (curl, HTTP libraries of
    // mobile applications: « Expect: 100-continue ») is told to go on at
    // once, instead of waiting a second for nothing.
    if (!header_parser.is_done() && beast::iequals(request.header("expect"), "100-continue")) {
        static constexpr std::string_view CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [error, ignored]
            = co_await net::async_write(stream, net::buffer(CONTINUE.data(), CONTINUE.size()), use_tuple);
        if (error)
            co_return -1;
    }
    if (boundary) {
        bhttp::request_parser<bhttp::buffer_body> parser { std::move(header_parser) };
        parser.body_limit(options.max_upload_bytes);
        MultipartLimits limits;
        limits.max_file_size = options.max_upload_bytes;
        MultipartParser multipart(*boundary, options.upload_directory, limits);
        std::vector<char> chunk(std::size_t { 256 } * 1024);
        // Beast reads as much as the buffer's free capacity (at least 512
        // bytes): left at the header's few kilobytes, a 100 Mo upload took
        // tens of thousands of reads.
        buffer.reserve(buffer.size() + chunk.size());
        while (!parser.is_done()) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
            stream.expires_after(std::chrono::seconds(options.request_timeout_seconds));
            auto [error, ignored] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            if (error == bhttp::error::need_buffer)
                error = {};
            if (error == bhttp::error::body_limit)
                co_return 413;
            if (error)
                co_return -1;
            auto got = chunk.size() - parser.get().body().size;
            if (got == 0)
                continue;
            auto fed = multipart.feed(std::string_view(chunk.data(), got));
            if (fed.is_error())
                co_return fed.error().kind == ErrorKind::TooLarge ? 413 : 400;
        }
        if (multipart.finish().is_error())
            co_return 400;
        request.form = multipart.fields();
        request.files = multipart.release_files();
        keep_alive = parser.get().keep_alive();
        co_return 0;
    }
    // Most requests (GET) have no body: nothing more to read.
    if (header_parser.is_done()) {
        keep_alive = header_parser.get().keep_alive();
        co_return 0;
    }
    bhttp::request_parser<bhttp::string_body> parser { std::move(header_parser) };
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(std::chrono::seconds(options.request_timeout_seconds));
    auto [error, ignored] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (error == bhttp::error::body_limit)
        co_return 413;
    if (error)
        co_return -1;
    keep_alive = parser.get().keep_alive();
    request.body = std::move(parser.get().body());
    auto content_type = request.header("content-type");
    if (content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
        auto form = parse_urlencoded(request.body);
        if (form.is_error())
            co_return 400;
        request.form = form.release_value();
        request.body.clear();
    }
    co_return 0;
}

// After refusing a request whose body is still arriving, read and drop
// what comes for a moment before closing: closing at once would reset the
// connection and the client would never read the refusal.
net::awaitable<void> drain_before_close(beast::tcp_stream& stream)
{
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::vector<char> sink(std::size_t { 64 } * 1024);
    std::uint64_t dropped = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (dropped < (64ULL << 20)) {
        auto [error, got] = co_await stream.async_read_some(net::buffer(sink), use_tuple);
        if (error)
            break;
        dropped += got;
    }
}

// An upgraded connection: Beast's WebSocket stream and the service's
// handler. Callbacks rather than a coroutine, and nothing buffered while
// idle (the read buffer is released after each message, the outbox is
// empty), so that an idle connection costs little more than its socket.
// Everything but `send` and `close` runs on the connection's executor.
class WebSocketSession final : public WebSocketConnection, public std::enable_shared_from_this<WebSocketSession> {
public:
    WebSocketSession(ServerState& state, beast::tcp_stream&& stream, std::shared_ptr<WebSocketHandler> handler)
        : m_state(state)
        , m_socket(std::move(stream))
        , m_handler(std::move(handler))
    { }

    // The handshake's response is built from the request at once: it need
    // not outlive this call.
    void start(bhttp::request<bhttp::empty_body> const& request)
    {
        {
            std::lock_guard lock(m_state.mutex);
            m_registration = m_state.websockets.insert(m_state.websockets.end(), weak_from_this());
        }
        // A ping every half minute of silence keeps proxies from dropping an
        // idle chat and finds the peers that went away without a word.
        m_socket.set_option(
            websocket::stream_base::timeout { std::chrono::seconds(30), std::chrono::seconds(60), true });
        m_socket.read_message_max(WEBSOCKET_MAX_MESSAGE_BYTES);
        m_socket.write_buffer_bytes(1024);
        m_socket.auto_fragment(false);
        m_socket.async_accept(request, [self = shared_from_this()](boost::system::error_code const& error) {
            if (error) {
                self->finish();
                return;
            }
            self->m_open = true;
            try {
                self->m_handler->on_open(self);
            } catch (std::exception const& exception) {
                log::error(std::string("websocket open failed: ") + exception.what());
            }
            self->read();
        });
    }

    void send(std::shared_ptr<std::string const> text) override
    {
        net::post(m_socket.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
            if (self->m_closed || self->m_closing)
                return;
            // A peer that reads nothing while messages pile up is dropped
            // rather than let its queue grow without end.
            if (self->m_outbox.size() >= MAX_QUEUED_FRAMES) {
                self->drop();
                return;
            }
            self->m_outbox.push_back(std::move(text));
            self->write_next();
        });
    }

    void close() override
    {
        net::post(m_socket.get_executor(), [self = shared_from_this()] { self->close_now(); });
    }

private:
    static constexpr std::size_t MAX_QUEUED_FRAMES = 256;

    void close_now()
    {
        if (m_closed || m_closing || !m_open) {
            if (!m_open)
                drop();
            return;
        }
        m_closing = true;
        m_outbox = {};
        m_socket.async_close(
            websocket::close_code::normal, [self = shared_from_this()](boost::system::error_code const&) {
                // The pending read ends with the close; it finishes.
            });
    }

    // Ends the connection without the closing handshake.
    void drop()
    {
        boost::system::error_code ignored;
        beast::get_lowest_layer(m_socket).socket().close(ignored);
        m_outbox = {};
    }

    void read()
    {
        if (m_closed)
            return;
        m_socket.async_read(m_buffer,
            [self = shared_from_this()](boost::system::error_code const& error, std::size_t) { self->on_read(error); });
    }

    void on_read(boost::system::error_code const& error)
    {
        if (error) {
            finish();
            return;
        }
        std::string text;
        bool const is_text = m_socket.got_text();
        if (is_text)
            text = beast::buffers_to_string(m_buffer.data());
        m_buffer.consume(m_buffer.size());
        m_buffer.shrink_to_fit(); // idle again: hold no buffer
        if (!is_text) {
            read(); // binary frames mean nothing here
            return;
        }
        // The handler may read and write the database: on the worker pool,
        // one message at a time for this connection (the next read waits).
        net::post(m_state.workers, [self = shared_from_this(), text = std::move(text)] {
            try {
                self->m_handler->on_message(text);
            } catch (std::exception const& exception) {
                log::error(std::string("websocket message failed: ") + exception.what());
            }
            net::post(self->m_socket.get_executor(), [self] { self->read(); });
        });
    }

    void write_next()
    {
        if (m_writing || m_outbox.empty() || m_closed)
            return;
        m_writing = true;
        auto text = m_outbox.front();
        m_socket.text(true);
        m_socket.async_write(
            net::buffer(*text), [self = shared_from_this(), text](boost::system::error_code const& error, std::size_t) {
                self->m_writing = false;
                if (error) {
                    self->drop();
                    return;
                }
                if (!self->m_outbox.empty())
                    self->m_outbox.erase(self->m_outbox.begin());
                if (self->m_outbox.empty())
                    self->m_outbox = {}; // release the queue's memory
                self->write_next();
            });
    }

    // Once, when the read ends (closure, error, timeout, server stopping).
    void finish()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_outbox = {};
        if (m_open) {
            try {
                m_handler->on_close();
            } catch (std::exception const& exception) {
                log::error(std::string("websocket close failed: ") + exception.what());
            }
        }
        boost::system::error_code ignored;
        beast::get_lowest_layer(m_socket).socket().close(ignored);
        std::lock_guard lock(m_state.mutex);
        m_state.websockets.erase(m_registration);
    }

    ServerState& m_state;
    websocket::stream<beast::tcp_stream> m_socket;
    beast::flat_buffer m_buffer;
    std::shared_ptr<WebSocketHandler> m_handler;
    std::vector<std::shared_ptr<std::string const>> m_outbox;
    std::list<std::weak_ptr<WebSocketSession>>::iterator m_registration;
    bool m_open { false };
    bool m_writing { false };
    bool m_closing { false };
    bool m_closed { false };
};

// Why an upgrade the handler accepted is refused by the server, or 0.
int upgrade_refusal(ServerState const& state, Request const& request, bool upgrade_asked)
{
    if (!upgrade_asked)
        return 426;
    if (!same_origin(request.header("origin"), request.header("host")))
        return 403;
    if (state.stopping)
        return 503;
    return 0;
}

Response refused_upgrade(int status)
{
    auto response = Response::text(status == 426 ? "Cette adresse attend une connexion WebSocket."
            : status == 403                      ? "Connexion refusée : elle vient d'un autre site."
                                                 : "Le serveur s'arrête ; réessayez dans un instant.",
        status);
    if (status == 426)
        response.set_header("Upgrade", "websocket");
    return response;
}

net::awaitable<void> serve_connection(ServerState& state, tcp::socket socket)
{
    beast::tcp_stream stream(std::move(socket));
    std::list<Connection>::iterator registration;
    {
        std::lock_guard lock(state.mutex);
        registration = state.connections.emplace(state.connections.end());
        registration->stream = &stream;
    }
    std::string remote;
    {
        boost::system::error_code ignored;
        auto endpoint = stream.socket().remote_endpoint(ignored);
        remote = endpoint.address().to_string();
    }
    beast::flat_buffer buffer;
    auto const& options = state.options;
    for (;;) {
        registration->busy.store(false);
        if (state.stopping)
            break;
        bhttp::request_parser<bhttp::empty_body> header_parser;
        header_parser.header_limit(options.max_header_bytes);
        // Body limits are ours to check once the header is read (413, not a
        // parse error).
        header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        stream.expires_after(
            std::chrono::seconds(buffer.size() ? options.request_timeout_seconds : options.keep_alive_seconds));
        auto [error, ignored] = co_await bhttp::async_read_header(stream, buffer, header_parser, use_tuple);
        registration->busy.store(true);
        auto started = std::chrono::steady_clock::now();
        int refusal = 0;
        if (error == bhttp::error::header_limit)
            refusal = 431;
        else if (error == bhttp::error::end_of_stream || error == net::error::operation_aborted
            || error == beast::error::timeout || error == net::error::connection_reset || error == net::error::eof)
            break;
        else if (error)
            refusal = 400;

        Request request;
        request.remote_address = remote;
        bool keep_alive = false;
        unsigned version = 11;
        bool head = false;
        bool upgrade_asked = false;
        if (!refusal) {
            version = header_parser.get().version();
            upgrade_asked = header_parser.is_done() && websocket::is_upgrade(header_parser.get());
            head = header_parser.get().method() == bhttp::verb::head;
            if (!fill_request(header_parser, request))
                refusal = 400;
            else
                refusal = co_await read_body(state, stream, buffer, header_parser, request, keep_alive);
            if (refusal < 0) {
                remove_uploads(request);
                break;
            }
        }

        Response response;
        if (refusal) {
            keep_alive = false; // the rest of the body, if any, is not read
            if (request.path.empty()) {
                response = state.application.refuse(refusal, nullptr);
            } else {
                remove_uploads(request);
                request.files.clear();
                try {
                    response = co_await net::co_spawn(
                        state.workers.get_executor(),
                        [&]() -> net::awaitable<Response> { co_return state.application.refuse(refusal, &request); },
                        net::use_awaitable);
                } catch (std::exception const& exception) {
                    log::error(std::string("refusal page failed: ") + exception.what());
                    response = state.application.refuse(500, nullptr);
                }
            }
        } else {
            try {
                response = co_await run_handler(state, request);
            } catch (std::exception const& exception) {
                log::error(std::string("handler failed: ") + exception.what());
                response = state.application.refuse(500, nullptr);
            }
        }
        remove_uploads(request);
        if (response.websocket) {
            auto handler = std::move(response.websocket);
            if (auto why = upgrade_refusal(state, request, upgrade_asked)) {
                response = refused_upgrade(why);
            } else {
                // Handed over: this connection leaves the HTTP loop for good.
                {
                    std::lock_guard lock(state.mutex);
                    state.connections.erase(registration);
                }
                log::access(remote, method_name(request.method), request.path_for_log(), 101, 0,
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
                stream.expires_never();
                auto session = std::make_shared<WebSocketSession>(state, std::move(stream), std::move(handler));
                session->start(header_parser.release());
                co_return;
            }
        }
        if (state.stopping)
            keep_alive = false;
        std::size_t sent = 0;
        int status = response.status;
        try {
            // A fresh deadline: the one of the header read may be nearly
            // spent (a kept-alive connection idle for a while); a file may
            // take longer than a page.
            stream.expires_after(std::chrono::seconds(options.request_timeout_seconds * (response.file ? 10 : 1)));
            sent = co_await write_response(stream, response, keep_alive, head, version);
        } catch (std::exception const&) {
            keep_alive = false;
        }
        auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        log::access(remote, refusal ? "-" : method_name(request.method), refusal ? "-" : request.path_for_log(), status,
            sent, elapsed);
        if (refusal) {
            co_await drain_before_close(stream);
            break;
        }
        if (!keep_alive)
            break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    {
        std::lock_guard lock(state.mutex);
        state.connections.erase(registration);
    }
}

net::awaitable<void> accept_loop(ServerState& state, tcp::acceptor& acceptor)
{
    for (;;) {
        // With one I/O thread a connection's steps cannot overlap: no strand
        // (its executor copies cost a tenth of the I/O thread's time).
        auto executor = state.options.io_threads > 1 ? net::any_io_executor(net::make_strand(state.io))
                                                     : net::any_io_executor(state.io.get_executor());
        auto [error, socket] = co_await acceptor.async_accept(executor, use_tuple);
        if (error) {
            if (state.stopping || error == net::error::operation_aborted)
                co_return;
            log::warning("accept failed: " + error.message());
            continue;
        }
        socket.set_option(tcp::no_delay(true));
        auto connection_executor = socket.get_executor();
        net::co_spawn(connection_executor, serve_connection(state, std::move(socket)), net::detached);
    }
}

void begin_shutdown(ServerState& state, tcp::acceptor& acceptor)
{
    if (state.stopping.exchange(true))
        return;
    log::info("stopping: finishing the requests in progress");
    boost::system::error_code ignored;
    acceptor.close(ignored);
    std::lock_guard lock(state.mutex);
    for (auto const& weak : state.websockets) {
        if (auto session = weak.lock())
            session->close();
    }
    for (auto& connection : state.connections) {
        if (connection.busy)
            continue;
        auto* stream = connection.stream;
        net::post(stream->get_executor(), [stream] { stream->cancel(); });
    }
}

net::awaitable<void> wait_for_connections(ServerState& state)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    net::steady_timer timer(co_await net::this_coro::executor);
    for (;;) {
        {
            std::lock_guard lock(state.mutex);
            if (state.connections.empty() && state.websockets.empty())
                break;
            for (auto& connection : state.connections) {
                if (!connection.busy) {
                    auto* stream = connection.stream;
                    net::post(stream->get_executor(), [stream] { stream->cancel(); });
                }
            }
        }
        if (std::chrono::steady_clock::now() > deadline) {
            log::warning("stopping: some connections did not finish in time");
            break;
        }
        timer.expires_after(std::chrono::milliseconds(50));
        co_await timer.async_wait(net::use_awaitable);
    }
    state.io.stop();
}

} // namespace

int run_server(ServerOptions const& options, Application& application)
{
    ServerState state(options, application);
    std::filesystem::create_directories(options.upload_directory);
    tcp::acceptor acceptor(state.io);
    try {
        tcp::endpoint endpoint(net::ip::make_address(options.host), static_cast<unsigned short>(options.port));
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
    } catch (std::exception const& error) {
        log::error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + error.what());
        return 1;
    }
    if (options.on_listening)
        options.on_listening(acceptor.local_endpoint().port());

    net::signal_set signals(state.io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code const& error, int) {
        if (error)
            return;
        begin_shutdown(state, acceptor);
        net::co_spawn(state.io, wait_for_connections(state), net::detached);
    });
    net::co_spawn(state.io, accept_loop(state, acceptor), net::detached);

    std::vector<std::thread> threads;
    for (int index = 1; index < options.io_threads; ++index)
        threads.emplace_back([&] { state.io.run(); });
    state.io.run();
    for (auto& thread : threads)
        thread.join();
    state.workers.join();
    state.slow.join();
    log::info("stopped");
    return 0;
}

} // namespace cartable::http
