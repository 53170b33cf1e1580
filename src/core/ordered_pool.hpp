// run_ordered: runs work(i) for i in [0, n) on `jobs` threads and hands each result to emit(i, result) on the
// calling thread in index order, buffering results that finish early. Workers stop taking new indices once
// `stop` becomes true (a signal handler sets it); emit then receives only the in-order prefix that finished,
// and run_ordered returns how many were emitted. An exception in work() or emit() stops the workers and is
// rethrown on the calling thread after they have joined.
//
//   run_ordered<int>(4, 2, [](std::size_t i) { return int(i * i); },
//                    [](std::size_t i, int v) { std::cout << i << ":" << v << "\n"; });   // 0:0 1:1 2:4 3:9
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

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
  int running = jobs < 1 ? 1 : jobs;
  const int nthreads = running;
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
  for (int t = 0; t < nthreads; ++t) threads.emplace_back(worker);
  std::size_t emitted = 0;
  try {
    std::unique_lock<std::mutex> lock(mu);
    while (emitted < n) {
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
