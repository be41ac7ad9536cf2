// 20 — Fashion-MNIST (book chapters 19–21): real data, mini-batches, validation, saving.
//
// 60 000 training images of clothes (28×28 gray, 10 classes) and 10 000 test images. The
// training set is shuffled once (the book's keys shuffle), the pixels scaled to [−1, 1], and a
// 784–128–128–10 network trained for 10 epochs in batches of 128: 469 steps per epoch, the last
// one of 96 images. Then the trained model is evaluated, saved (parameters as NumPy .npz, the
// whole model as one file), loaded back and evaluated again: the same numbers.
//
//     20_fashion_mnist [data_dir] [epochs]     (epochs: 10 by default)
//
// data_dir holds the book's folders (train/0..9/*.png, test/0..9/*.png, from
// https://nnfs.io/datasets/fashion_mnist_images.zip) or the four IDX files of
// https://github.com/zalandoresearch/fashion-mnist (gzip'd or not). Without data_dir the program
// looks in $NNFS_FASHION_MNIST, then ./fashion_mnist_images, then Debian's
// /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist); finding nothing,
// it says how to get the data and exits (status 0). See docs/fashion-mnist.md.
#include "example_args.hpp"
#include "example_main.hpp"
#include "fashion_mnist_data.hpp"

#include <nnfs/io/fashion_mnist.hpp>
#include <nnfs/io/model_parameters.hpp>
#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace {

// The book's chapter 19 network: inputs–128–128–10, ReLU between, softmax at the end.
void add_layers(nnfs::Model<float>& model, nnfs::Index inputs) {
  model.add(nnfs::Dense<float>(inputs, 128));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(128, 128));
  model.add(nnfs::ReLU<float>());
  model.add(nnfs::Dense<float>(128, 10));
  model.add(nnfs::Softmax<float>());
}

// The trained parameters through the .npz file, into a freshly built network (chapter 21).
nnfs::Evaluation evaluate_from_npz(const nnfs::io::FashionMnist<float>& data) {
  nnfs::Model<float> rebuilt;
  add_layers(rebuilt, data.train.X.cols());
  rebuilt.set(nnfs::CategoricalCrossentropy<float>(), nnfs::CategoricalAccuracy());
  rebuilt.finalize();
  nnfs::io::load_parameters(rebuilt, "fashion_mnist.npz");
  return rebuilt.evaluate(data.test.X, data.test.y, 0, /*print=*/false);
}

int run(int argc, char** argv) {
  const auto epochs = static_cast<std::size_t>(example::positive_arg(argc, argv, 2, 10, "epochs"));
  std::vector<std::string> tried;
  const auto found = example::find_fashion_mnist(
      argc > 1 ? std::optional<std::string>(argv[1]) : std::nullopt, tried);
  if (!found) {
    example::print_how_to_get_fashion_mnist(tried, argv[0]);
    return 0;
  }
  const std::filesystem::path& data_dir = *found;

  nnfs::init();
  const auto data = nnfs::io::create_data_mnist<float>(data_dir);  // loads, shuffles the training set, scales
  fmt::print("{}: {} training and {} test images of {} pixels\n", data_dir.string(), data.train.X.rows(), data.test.X.rows(),
             data.train.X.cols());

  nnfs::Model<float> model;
  add_layers(model, data.train.X.cols());
  model.set(nnfs::CategoricalCrossentropy<float>(), nnfs::Adam(0.001, 1e-3), nnfs::CategoricalAccuracy());
  model.finalize();
  fmt::print("{}", model.summary());

  const nnfs::History history =
      model.train(data.train.X, data.train.y, epochs, /*batch_size=*/128, /*print_every=*/100,
                  nnfs::Validation<float>(data.test.X, data.test.y));
  history.write_csv("fashion_mnist_history.csv");
  nnfs::plot::training_curves_svg("fashion_mnist_training.svg", history);

  // Chapter 21: evaluate, save, load, evaluate again: the figures must be the trained model's,
  // bit for bit (printed once, below).
  const nnfs::Evaluation trained = model.evaluate(data.test.X, data.test.y, 0, /*print=*/false);
  nnfs::io::save_parameters(model, "fashion_mnist.npz");  // np.load-able: arr_0 = W1, arr_1 = b1, ...
  model.save("fashion_mnist.model");

  // Each model evaluated on the whole test set keeps buffers that size (10 000 rows per layer):
  // the reloaded ones live only as long as their evaluation.
  const nnfs::Evaluation reloaded =
      nnfs::Model<float>::load("fashion_mnist.model").evaluate(data.test.X, data.test.y, 0, /*print=*/false);
  const nnfs::Evaluation from_npz = evaluate_from_npz(data);
  if (reloaded.loss != trained.loss || reloaded.accuracy != trained.accuracy || from_npz.loss != trained.loss ||
      from_npz.accuracy != trained.accuracy) {
    fmt::print(stderr, "the loaded model evaluates differently from the trained one\n");
    return 1;
  }
  fmt::print("test set: acc {:.3f}, loss {:.3f} (the trained model, and alike once reloaded from the files)\n",
             trained.accuracy, trained.loss);
  fmt::print("saved fashion_mnist.model, fashion_mnist.npz, fashion_mnist_history.csv, fashion_mnist_training.svg\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return example::guarded_main(argc, argv, run); }
