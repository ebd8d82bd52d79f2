// SPDX-License-Identifier: AGPL-3.0-or-later
// The chat's benchmark (bench/chat.sh): opens many idle WebSocket
// connections to a running server's chat, reports the server's resident
// memory per connection (VmRSS before and after), then times one message
// reaching every connection of one space, a few runs (p50, p99).
//   chat_bench --port P --pid SERVER_PID --cookie SESSION --spaces 3,1,2,…
//              [--connections 2000] [--room 500] [--runs 20]
// The first space of --spaces receives --room connections, the others
// share the rest.
#include "bench/support/timing.h"
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

using cartable::bench::percentile;

long long rss_kb(int pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atoll(line.c_str() + 6);
    }
    return -1;
}

struct Bench;

struct Client : std::enable_shared_from_this<Client> {
    Client(net::io_context& io, Bench& bench, bool in_room)
        : socket(io)
        , owner(bench)
        , room(in_room)
    { }
    void read();
    websocket::stream<tcp::socket> socket;
    beast::flat_buffer buffer;
    Bench& owner;
    bool room;
};

struct Bench {
    std::string expected; // the text of the run's message
    Clock::time_point sent_at;
    int received { 0 };
    int wanted { 0 };
    std::vector<double> latencies; // ms, one per receipt
    Clock::time_point last_at;
    long long errors { 0 };
};

void Client::read()
{
    socket.async_read(buffer, [self = shared_from_this()](boost::system::error_code const& error, std::size_t) {
        if (error) {
            ++self->owner.errors;
            return;
        }
        auto text = beast::buffers_to_string(self->buffer.data());
        self->buffer.consume(self->buffer.size());
        auto& bench = self->owner;
        if (self->room && !bench.expected.empty() && text.find("\"type\":\"message\"") != std::string::npos
            && text.find(bench.expected) != std::string::npos) {
            auto now = Clock::now();
            bench.latencies.push_back(std::chrono::duration<double, std::milli>(now - bench.sent_at).count());
            bench.last_at = now;
            ++bench.received;
        }
        self->read();
    });
}

std::string argument(int argc, char** argv, std::string const& name, std::string const& fallback)
{
    for (int at = 1; at + 1 < argc; ++at) {
        if (argv[at] == name)
            return argv[at + 1];
    }
    return fallback;
}

} // namespace

int main(int argc, char** argv)
{
    auto const host = argument(argc, argv, "--host", "127.0.0.1");
    auto const port = argument(argc, argv, "--port", "");
    auto const pid = std::atoi(argument(argc, argv, "--pid", "0").c_str());
    auto const cookie = argument(argc, argv, "--cookie", "");
    auto const connections = std::atoi(argument(argc, argv, "--connections", "2000").c_str());
    auto const room_size = std::atoi(argument(argc, argv, "--room", "500").c_str());
    auto const runs = std::atoi(argument(argc, argv, "--runs", "20").c_str());
    std::vector<std::string> spaces;
    {
        std::stringstream list(argument(argc, argv, "--spaces", ""));
        std::string id;
        while (std::getline(list, id, ','))
            if (!id.empty())
                spaces.push_back(id);
    }
    if (port.empty() || pid == 0 || cookie.empty() || spaces.empty()) {
        std::cerr << "usage: chat_bench --port P --pid SERVER_PID --cookie SESSION --spaces ID,ID,… "
                     "[--connections N] [--room N] [--runs N]\n";
        return 2;
    }
    auto const host_port = host + ":" + port;

    net::io_context io;
    tcp::resolver resolver(io);
    auto const endpoints = resolver.resolve(host, port);
    Bench bench;
    std::vector<std::shared_ptr<Client>> clients;
    clients.reserve(static_cast<std::size_t>(connections));

    auto const before = rss_kb(pid);
    auto const opening = Clock::now();
    for (int index = 0; index < connections; ++index) {
        bool const in_room = index < room_size || spaces.size() == 1;
        auto const& space
            = in_room ? spaces.front() : spaces[1 + static_cast<std::size_t>(index - room_size) % (spaces.size() - 1)];
        auto client = std::make_shared<Client>(io, bench, in_room);
        try {
            net::connect(client->socket.next_layer(), endpoints);
            client->socket.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
                request.set(beast::http::field::cookie, "cartable_session=" + cookie);
                request.set(beast::http::field::origin, "http://" + host_port);
            }));
            client->socket.handshake(host_port, "/espaces/" + space + "/chat/direct");
        } catch (std::exception const& error) {
            std::cerr << "connection " << index << " failed: " << error.what() << "\n";
            return 1;
        }
        clients.push_back(std::move(client));
    }
    auto const opened_ms = std::chrono::duration<double, std::milli>(Clock::now() - opening).count();
    for (auto& client : clients)
        client->read();
    // Let the server settle (the presence frames read, buffers released).
    auto settle_until = Clock::now() + std::chrono::seconds(3);
    while (Clock::now() < settle_until)
        io.run_for(std::chrono::milliseconds(100));
    auto const after = rss_kb(pid);
    auto const per_connection = static_cast<double>(after - before) * 1024.0 / connections;
    std::printf("connections: %d (%d in the measured space, %zu spaces), opened in %.0f ms\n", connections,
        std::min(room_size, connections), spaces.size(), opened_ms);
    std::printf("server VmRSS: %lld kB before, %lld kB after: %.1f KB per idle connection\n", before, after,
        per_connection / 1024.0);

    std::vector<double> all_reached;
    int const receivers = std::min(room_size, connections);
    for (int run = 0; run < runs; ++run) {
        bench.expected = "Message de mesure " + std::to_string(run) + " pour la TPRO";
        bench.received = 0;
        bench.wanted = receivers;
        // A different sender each run: the per-connection rate limit holds.
        auto& sender = *clients[static_cast<std::size_t>(run % receivers)];
        bench.sent_at = Clock::now();
        auto frame = std::make_shared<std::string>("{\"text\":\"" + bench.expected + "\"}");
        sender.socket.async_write(
            net::buffer(*frame), [frame, &bench](boost::system::error_code const& error, std::size_t) {
                if (error)
                    ++bench.errors;
            });
        auto deadline = Clock::now() + std::chrono::seconds(30);
        while (bench.received < receivers && Clock::now() < deadline)
            io.run_one_for(std::chrono::milliseconds(100));
        if (bench.received < receivers) {
            std::printf("run %d: only %d of %d received\n", run, bench.received, receivers);
            continue;
        }
        all_reached.push_back(std::chrono::duration<double, std::milli>(bench.last_at - bench.sent_at).count());
        // A pause between runs, as people type.
        auto pause_until = Clock::now() + std::chrono::milliseconds(200);
        while (Clock::now() < pause_until)
            io.run_for(std::chrono::milliseconds(20));
    }
    std::printf("one message to %d connections, %zu runs: all reached p50 %.1f ms, p99 %.1f ms; each receipt p50 "
                "%.1f ms, p99 %.1f ms\n",
        receivers, all_reached.size(), percentile(all_reached, 0.5), percentile(all_reached, 0.99),
        percentile(bench.latencies, 0.5), percentile(bench.latencies, 0.99));
    std::printf("server VmRSS at the end: %lld kB; read errors: %lld\n", rss_kb(pid), bench.errors);
    for (auto& client : clients) {
        boost::system::error_code ignored;
        client->socket.next_layer().close(ignored);
    }
    return 0;
}
