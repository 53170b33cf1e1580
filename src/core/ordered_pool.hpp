// run_ordered: runs work(i) for i in [0, n) on `jobs` threads and hands each result to emit(i, result) on the
// calling thread in index order, buffering results that finish early. Workers stop taking new indices once
// `stop` becomes true (a signal handler sets it); emit then receives only the in-order prefix that finished,
// and run_ordered returns how many were emitted. An exception in work() or emit() stops the workers and is
// rethrown on the calling thread after they have joined.
//
// At most n threads are started (more would find no work). When the system refuses a thread (EAGAIN: a
// process or memory limit), the pool runs on the threads it has; when it gets none, it throws RuntimeError.
// Either way every started thread is joined, so a refused thread is never std::terminate.
//
//   run_ordered<int>(4, 2, [](std::size_t i) { return int(i * i); },
//                    [](std::size_t i, int v) { std::cout << i << ":" << v << "\n"; });   // 0:0 1:1 2:4 3:9
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace commsim {

template <typename R>
std::size_t run_ordered(std::size_t n, int jobs, const std::function<R(std::size_t)>& work,
                        const std::function<void(std::size_t, R&&)>& emit, const std::atomic<bool>* stop = nullptr) {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::size_t, R> done;  // finished, not yet emitted
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  const std::size_t wanted = std::min<std::size_t>(n, jobs < 1 ? 1 : static_cast<std::size_t>(jobs));
  std::size_t running = wanted;  // workers not yet finished: the started ones once the start loop ends
  auto stopping = [&] { return failed.load() || (stop && stop->load()); };
  auto worker = [&] {
    for (;;) {
      if (stopping()) break;
      const std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        R r = work(i);
        const std::lock_guard<std::mutex> lock(mu);
        done.emplace(i, std::move(r));
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        failed = true;
      }
      cv.notify_one();
    }
    const std::lock_guard<std::mutex> lock(mu);
    --running;
    cv.notify_one();
  };
  std::vector<std::thread> threads;
  try {
    threads.reserve(wanted);
    for (std::size_t t = 0; t < wanted; ++t) threads.emplace_back(worker);
  } catch (const std::exception& e) {  // std::system_error (EAGAIN), or std::bad_alloc
    // Refused: carry on with the threads started (each ends by decrementing `running`), or stop them all.
    const std::lock_guard<std::mutex> lock(mu);
    running -= wanted - threads.size();
    if (threads.empty())
      error = std::make_exception_ptr(RuntimeError(std::string("cannot start a worker thread: ") + e.what()));
  }
  if (threads.empty() && !error) return 0;  // n == 0
  std::size_t emitted = 0;
  try {
    std::unique_lock<std::mutex> lock(mu);
    while (emitted < n && !error) {
      cv.wait(lock, [&] { return done.count(emitted) || running == 0 || failed.load(); });
      if (failed) break;
      auto it = done.find(emitted);
      if (it == done.end()) break;  // workers gone (stopped) and the next result never came
      R r = std::move(it->second);
      done.erase(it);
      lock.unlock();
      emit(emitted, std::move(r));
      ++emitted;
      lock.lock();
    }
  } catch (...) {
    const std::lock_guard<std::mutex> lock(mu);
    if (!error) error = std::current_exception();
    failed = true;
  }
  for (std::thread& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  return emitted;
}

}  // namespace commsim
