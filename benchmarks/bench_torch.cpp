// nnfs_bench_torch — the workloads in LibTorch's C++ API (Debian's libtorch-dev), written the
// way its documentation teaches: torch::nn::Linear modules, autograd, F::cross_entropy,
// torch::optim::Adam; inference under torch::InferenceMode. Same data and initial weights as
// every other implementation (Linear stores weight as out×in, so it gets Wᵀ).
//
// Adam's learning-rate decay (the book's lr/(1 + decay·t), which torch's Adam does not have) is
// applied by setting the parameter group's lr before each step. F::cross_entropy is
// log-softmax + NLL: the same loss as the book's clipped softmax + −log while no probability
// falls below 1e−7.
#include "common.hpp"

#include <torch/torch.h>

#include <cstdio>
#include <exception>

namespace {

namespace F = torch::nn::functional;

torch::Tensor tensor(const bench::MatrixF& m) {
  return torch::from_blob(const_cast<float*>(m.data()), {m.rows(), m.cols()}, torch::kFloat32).clone();
}

torch::Tensor labels(const bench::LabelsI& y) {
  return torch::from_blob(const_cast<std::int32_t*>(y.data()), {y.size()}, torch::kInt32).to(torch::kInt64);
}

torch::nn::Linear linear(const bench::MatrixF& w) {
  torch::nn::Linear layer(w.rows(), w.cols());
  torch::NoGradGuard no_grad;
  layer->weight.copy_(tensor(w).t());
  layer->bias.zero_();
  return layer;
}

torch::optim::Adam adam(const std::vector<torch::Tensor>& params, double lr) {
  return torch::optim::Adam(
      params, torch::optim::AdamOptions(lr).betas({bench::adam_beta_1, bench::adam_beta_2}).eps(bench::adam_epsilon));
}

void set_lr(torch::optim::Adam& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

std::vector<torch::Tensor> parameters(std::initializer_list<torch::nn::Linear> layers) {
  std::vector<torch::Tensor> out;
  for (const auto& l : layers)
    for (const auto& p : l->parameters()) out.push_back(p);
  return out;
}

void w1(const bench::Args& args, const bench::Data& data) {
  const torch::Tensor X = tensor(data.X);
  const torch::Tensor y = labels(data.y);
  for (int rep = 0; rep < args.reps; ++rep) {
    auto fc1 = linear(data.weights[0]);
    auto fc2 = linear(data.weights[1]);
    auto optimizer = adam(parameters({fc1, fc2}), bench::w1_learning_rate);
    torch::Tensor loss;
    torch::Tensor accuracy;
    const bench::Timer timer;
    for (long epoch = 0; epoch < bench::w1_epochs; ++epoch) {
      optimizer.zero_grad();
      const torch::Tensor logits = fc2(torch::relu(fc1(X)));
      loss = F::cross_entropy(logits, y);
      accuracy = logits.argmax(1).eq(y).to(torch::kFloat32).mean();
      loss.backward();
      set_lr(optimizer, bench::decayed_learning_rate(bench::w1_learning_rate, bench::w1_decay, epoch));
      optimizer.step();
    }
        bench::report("torch", args, rep, timer, loss.item<double>(), accuracy.item<double>());
  }
}

void w2(const bench::Args& args, const bench::Data& data) {
  const torch::Tensor X = tensor(data.X);
  const torch::Tensor y = labels(data.y);
  const long steps = (bench::w2_samples + bench::w2_batch - 1) / bench::w2_batch;
  for (int rep = 0; rep < args.reps; ++rep) {
    auto fc1 = linear(data.weights[0]);
    auto fc2 = linear(data.weights[1]);
    auto fc3 = linear(data.weights[2]);
    auto optimizer = adam(parameters({fc1, fc2, fc3}), bench::w2_learning_rate);
    torch::Tensor loss_sum = torch::zeros({}, torch::kFloat64);
    torch::Tensor accuracy_sum = torch::zeros({}, torch::kFloat64);
    const bench::Timer timer;
    for (long step = 0; step < steps; ++step) {
      const long first = step * bench::w2_batch;
      const long n = std::min(bench::w2_batch, bench::w2_samples - first);
      const torch::Tensor x = X.narrow(0, first, n);
      const torch::Tensor t = y.narrow(0, first, n);
      optimizer.zero_grad();
      const torch::Tensor logits = fc3(torch::relu(fc2(torch::relu(fc1(x)))));
      const torch::Tensor loss = F::cross_entropy(logits, t);
      {
        torch::NoGradGuard no_grad;
        loss_sum += loss;
        accuracy_sum += logits.argmax(1).eq(t).to(torch::kFloat64).mean();
      }
      loss.backward();
      optimizer.step();
    }
        bench::report("torch", args, rep, timer, loss_sum.item<double>() / static_cast<double>(steps),
                  accuracy_sum.item<double>() / static_cast<double>(steps));
  }
}

void w3(const bench::Args& args, const bench::Data& data) {
  const long batch = args.workload == "W3-1" ? 1 : bench::w3_batch;
  const long calls = batch == 1 ? bench::w3_single_calls : bench::w3_batch_calls;
  const long batches = bench::w2_samples / batch;
  const torch::Tensor X = tensor(data.X);
  auto fc1 = linear(data.weights[0]);
  auto fc2 = linear(data.weights[1]);
  auto fc3 = linear(data.weights[2]);
  torch::InferenceMode inference;
  auto predict = [&](long call) {
    const torch::Tensor x = X.narrow(0, (call % batches) * batch, batch);
    return torch::softmax(fc3(torch::relu(fc2(torch::relu(fc1(x))))), 1);
  };
  for (long call = 0; call < bench::w3_warmup_calls; ++call) predict(call);
  for (int rep = 0; rep < args.reps; ++rep) {
    double checksum = 0.0;
    const bench::Timer timer;
    for (long call = 0; call < calls; ++call) {
      const torch::Tensor p = predict(call);
      const auto row = p.accessor<float, 2>()[0];
      double s = 0.0;
      for (long j = 0; j < row.size(0); ++j) s += static_cast<double>(j + 1) * static_cast<double>(row[j]);
      checksum += s;
    }
        bench::report("torch", args, rep, timer, checksum / static_cast<double>(calls), 0.0, static_cast<double>(calls));
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const bench::Args args = bench::parse_args(argc, argv);
    torch::set_num_threads(args.threads);
    const bench::Data data = bench::load_data(args.data, args.workload);
    if (args.workload == "W1") {
      w1(args, data);
    } else if (args.workload == "W2") {
      w2(args, data);
    } else {
      w3(args, data);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nnfs_bench_torch: %s\n", e.what());
    return 1;
  }
}
