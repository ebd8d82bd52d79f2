// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <functional>
#include <list>
#include <mutex>
#include <stop_token>
#include <thread>

namespace cartable {

// Work a request starts and does not wait for (an académie's import
// launched from the console). Each task runs on its own thread; on
// destruction every task is asked to stop and then joined, so none outlives
// the services it uses.
class BackgroundTasks {
public:
    BackgroundTasks() = default;
    BackgroundTasks(BackgroundTasks const&) = delete;
    BackgroundTasks& operator=(BackgroundTasks const&) = delete;
    ~BackgroundTasks()
    {
        std::lock_guard lock(m_mutex);
        for (auto& thread : m_threads)
            thread.request_stop();
        m_threads.clear(); // joins
    }

    void start(std::function<void(std::stop_token)> task)
    {
        std::lock_guard lock(m_mutex);
        m_threads.emplace_back(std::move(task));
    }

private:
    std::mutex m_mutex;
    std::list<std::jthread> m_threads;
};

} // namespace cartable
