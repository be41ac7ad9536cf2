// nnfs_bench_nnfs — the workloads written with this library, the way a user writes them: the
// book's classes, forward and backward layer by layer, Optimizer::step.
//
//   --variant fast (default)  Numerics::fast
//   --variant book            Numerics::book (nnfs::init()'s rules: the NumPy book's numbers)
//   --variant model           Numerics::fast through the Model API (nnfs::Model: train, predict),
//                             with the book's per-step loss, regularization and accuracy and no
//                             printing: what the Model costs over the layers used by hand
//
// Threads: this executable links nnfs::openmp when OpenMP is available, so Eigen::setNbThreads(N)
// lets the fast-mode products of large layers use N threads (book mode stays single-threaded).
#include "common.hpp"

#include <nnfs/nnfs.hpp>

#include <cstdio>
#include <exception>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace {

using nnfs::Matrix;

void set_threads(int threads) {
#ifdef _OPENMP
  omp_set_num_threads(threads);
#endif
  Eigen::setNbThreads(threads);
}

void w1(const bench::Args& args, const bench::Data& data, const char* impl) {
  const nnfs::Labels y = data.y;
  for (int rep = 0; rep < args.reps; ++rep) {
    nnfs::Dense<float> dense1(data.weights[0], Matrix<float>::Zero(1, bench::w1_hidden));
    nnfs::ReLU<float> activation1;
    nnfs::Dense<float> dense2(data.weights[1], Matrix<float>::Zero(1, bench::w1_classes));
    nnfs::SoftmaxCategoricalCrossentropy<float> loss_activation;
    nnfs::Adam optimizer(bench::w1_learning_rate, bench::w1_decay);
    float loss = 0.0F;
    double accuracy = 0.0;
    const bench::Timer timer;
    for (long epoch = 0; epoch < bench::w1_epochs; ++epoch) {
      dense1.forward(data.X);
      activation1.forward(dense1.output);
      dense2.forward(activation1.output);
      loss = loss_activation.forward(dense2.output, y);
      accuracy = nnfs::accuracy(loss_activation.output(), y);
      loss_activation.backward(loss_activation.output(), y);
      dense2.backward(loss_activation.dinputs);
      activation1.backward(dense2.dinputs);
      dense1.backward_parameters(activation1.dinputs);  // the data needs no gradient
      optimizer.step(dense1, dense2);
    }
    bench::report(impl, args, rep, timer, static_cast<double>(loss), accuracy);
  }
}

struct Mlp {
  nnfs::Dense<float> dense1;
  nnfs::ReLU<float> relu1;
  nnfs::Dense<float> dense2;
  nnfs::ReLU<float> relu2;
  nnfs::Dense<float> dense3;

  explicit Mlp(const bench::Data& data)
      : dense1(data.weights[0], Matrix<float>::Zero(1, bench::w2_hidden)),
        dense2(data.weights[1], Matrix<float>::Zero(1, bench::w2_hidden)),
        dense3(data.weights[2], Matrix<float>::Zero(1, bench::w2_classes)) {}

  template <class D>
  const Matrix<float>& forward(const Eigen::MatrixBase<D>& x) {
    dense1.forward(x);
    relu1.forward(dense1.output);
    dense2.forward(relu1.output);
    relu2.forward(dense2.output);
    return dense3.forward(relu2.output);
  }
};

void w2(const bench::Args& args, const bench::Data& data) {
  const long steps = (bench::w2_samples + bench::w2_batch - 1) / bench::w2_batch;
  for (int rep = 0; rep < args.reps; ++rep) {
    Mlp net(data);
    nnfs::SoftmaxCategoricalCrossentropy<float> loss_activation;
    nnfs::Adam optimizer(bench::w2_learning_rate);
    nnfs::Labels batch_y;
    double loss_sum = 0.0;
    double accuracy_sum = 0.0;
    const bench::Timer timer;
    for (long step = 0; step < steps; ++step) {
      const long first = step * bench::w2_batch;
      const long n = std::min(bench::w2_batch, bench::w2_samples - first);
      batch_y = data.y.segment(first, n);
      net.forward(data.X.middleRows(first, n));
      loss_sum += static_cast<double>(loss_activation.forward(net.dense3.output, batch_y));
      accuracy_sum += nnfs::accuracy(loss_activation.output(), batch_y);
      loss_activation.backward(loss_activation.output(), batch_y);
      net.dense3.backward(loss_activation.dinputs);
      net.relu2.backward(net.dense3.dinputs);
      net.dense2.backward(net.relu2.dinputs);
      net.relu1.backward(net.dense2.dinputs);
      net.dense1.backward_parameters(net.relu1.dinputs);  // the data needs no gradient
      optimizer.step(net.dense1, net.dense2, net.dense3);
    }
    bench::report("nnfs-fast", args, rep, timer, loss_sum / static_cast<double>(steps),
                  accuracy_sum / static_cast<double>(steps));
  }
}

void w3(const bench::Args& args, const bench::Data& data) {
  const long batch = args.workload == "W3-1" ? 1 : bench::w3_batch;
  const long calls = batch == 1 ? bench::w3_single_calls : bench::w3_batch_calls;
  const long batches = bench::w2_samples / batch;
  Mlp net(data);
  nnfs::Softmax<float> softmax;
  auto predict = [&](long call) -> const Matrix<float>& {
    net.forward(data.X.middleRows((call % batches) * batch, batch));
    return softmax.forward(net.dense3.output);
  };
  for (long call = 0; call < bench::w3_warmup_calls; ++call) predict(call);
  for (int rep = 0; rep < args.reps; ++rep) {
    double checksum = 0.0;
    const bench::Timer timer;
    for (long call = 0; call < calls; ++call) checksum += bench::checksum_row(predict(call).row(0));
    bench::report("nnfs-fast", args, rep, timer, checksum / static_cast<double>(calls), 0.0, static_cast<double>(calls));
  }
}

// The same networks through nnfs::Model (Dense layers built from the shared initial weights).
nnfs::Model<float> make_model(const bench::Data& data, double learning_rate, double decay) {
  nnfs::Model<float> model;
  for (std::size_t i = 0; i < data.weights.size(); ++i) {
    const Matrix<float>& w = data.weights[i];
    model.add(nnfs::Dense<float>(w, Matrix<float>::Zero(1, w.cols())));
    if (i + 1 < data.weights.size()) model.add(nnfs::ReLU<float>());
  }
  model.add(nnfs::Softmax<float>());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(learning_rate, decay), nnfs::CategoricalAccuracy());
  model.finalize();
  return model;
}

nnfs::TrainOptions<float> quiet(std::size_t epochs, std::size_t batch_size) {
  nnfs::TrainOptions<float> options;
  options.epochs = epochs;
  options.batch_size = batch_size;
  options.print_every = 1;
  options.book_log = false;
  return options;
}

void model_w1(const bench::Args& args, const bench::Data& data) {
  const nnfs::Labels y = data.y;
  for (int rep = 0; rep < args.reps; ++rep) {
    nnfs::Model<float> model = make_model(data, bench::w1_learning_rate, bench::w1_decay);
    const bench::Timer timer;
    const nnfs::History history = model.train(data.X, y, quiet(static_cast<std::size_t>(bench::w1_epochs), 0));
    bench::report("nnfs-model", args, rep, timer, history.records.back().loss, history.records.back().accuracy);
  }
}

void model_w2(const bench::Args& args, const bench::Data& data) {
  const nnfs::Labels y = data.y;
  for (int rep = 0; rep < args.reps; ++rep) {
    nnfs::Model<float> model = make_model(data, bench::w2_learning_rate, 0.0);
    const bench::Timer timer;
    const nnfs::History history = model.train(data.X, y, quiet(1, static_cast<std::size_t>(bench::w2_batch)));
    bench::report("nnfs-model", args, rep, timer, history.records.back().loss, history.records.back().accuracy);
  }
}

void model_w3(const bench::Args& args, const bench::Data& data) {
  const long batch = args.workload == "W3-1" ? 1 : bench::w3_batch;
  const long calls = batch == 1 ? bench::w3_single_calls : bench::w3_batch_calls;
  const long batches = bench::w2_samples / batch;
  nnfs::Model<float> model = make_model(data, bench::w2_learning_rate, 0.0);
  auto predict = [&](long call) -> const Matrix<float>& {
    return model.predict(data.X.middleRows((call % batches) * batch, batch));
  };
  for (long call = 0; call < bench::w3_warmup_calls; ++call) predict(call);
  for (int rep = 0; rep < args.reps; ++rep) {
    double checksum = 0.0;
    const bench::Timer timer;
    for (long call = 0; call < calls; ++call) checksum += bench::checksum_row(predict(call).row(0));
    bench::report("nnfs-model", args, rep, timer, checksum / static_cast<double>(calls), 0.0,
                  static_cast<double>(calls));
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Args args = bench::parse_args(argc, argv);
    const bool book = args.variant == "book";
    const bool use_model = args.variant == "model";
    if (!book && !use_model && !args.variant.empty() && args.variant != "fast")
      throw std::invalid_argument("--variant must be fast, book or model");
    if (book && args.workload != "W1") throw std::invalid_argument("the book variant is measured on W1 only");
    nnfs::set_numerics(book ? nnfs::Numerics::book : nnfs::Numerics::fast);
    set_threads(args.threads);
    const bench::Data data = bench::load_data(args.data, args.workload);
    if (use_model) {
      if (args.workload == "W1") {
        model_w1(args, data);
      } else if (args.workload == "W2") {
        model_w2(args, data);
      } else {
        model_w3(args, data);
      }
    } else if (args.workload == "W1") {
      w1(args, data, book ? "nnfs-book" : "nnfs-fast");
    } else if (args.workload == "W2") {
      w2(args, data);
    } else {
      w3(args, data);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nnfs_bench_nnfs: %s\n", e.what());
    return 1;
  }
}
