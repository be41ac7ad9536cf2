// 21 — Inference (book chapter 22): load the saved model and say what an image shows.
//
//     21_fashion_mnist_inference [model] [image.png | data_dir] [--invert]
//
// model defaults to fashion_mnist.model (written by 20_fashion_mnist). The image is any
// 28×28 PNG (converted to gray); --invert turns a dark-on-light photo into the data set's
// light-on-dark (the book's 255 − image). Given a data folder instead, the first few test images
// are classified and compared with their labels.
#include <nnfs/io/fashion_mnist.hpp>
#include <nnfs/io/png.hpp>
#include <nnfs/nnfs.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  std::string model_path = "fashion_mnist.model";
  std::string input = "fashion_mnist_images";
  bool invert = false;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--invert") {
      invert = true;
    } else if (positional == 0) {
      model_path = a;
      ++positional;
    } else if (positional == 1) {
      input = a;
      ++positional;
    } else {
      fmt::print(stderr, "usage: {} [model] [image.png | data_dir] [--invert]\n", argv[0]);
      return 2;
    }
  }
  if (!std::filesystem::exists(model_path)) {
    fmt::print("No model at '{}': train and save one first with 20_fashion_mnist.\n", model_path);
    return 0;
  }
  nnfs::Model<float> model = nnfs::Model<float>::load(model_path);

  if (std::filesystem::is_directory(input)) {
    const auto test = nnfs::io::load_mnist_dataset<float>("test", input);
    const nnfs::Index n = std::min<nnfs::Index>(10, test.X.rows());
    const nnfs::Labels& classes = model.predict_classes(test.X.topRows(n));
    for (nnfs::Index i = 0; i < n; ++i)
      fmt::print("test image {}: predicted {}, label {}\n", i,
                 nnfs::io::fashion_mnist_labels[static_cast<std::size_t>(classes(i))],
                 nnfs::io::fashion_mnist_labels[static_cast<std::size_t>(test.y(i))]);
    return 0;
  }
  if (!std::filesystem::exists(input)) {
    fmt::print("No image or data folder at '{}'. Give a 28x28 PNG, or the Fashion-MNIST folder "
               "(https://nnfs.io/datasets/fashion_mnist_images.zip).\n", input);
    return 0;
  }

  const nnfs::io::GrayImage image = nnfs::io::read_gray_png(input);
  if (static_cast<nnfs::Index>(image.pixels.size()) != model.input_width()) {
    fmt::print(stderr, "{} is {}x{} ({} pixels) but the model takes {} pixels (28x28)\n", input, image.width,
               image.height, image.pixels.size(), model.input_width());
    return 1;
  }
  nnfs::Matrix<float> x(1, model.input_width());
  for (nnfs::Index j = 0; j < x.cols(); ++j) {
    const auto pixel = image.pixels[static_cast<std::size_t>(j)];
    x(0, j) = nnfs::io::scale_pixel<float>(invert ? static_cast<std::uint8_t>(255 - pixel) : pixel);
  }
  const nnfs::Matrix<float>& confidences = model.predict(x);
  const nnfs::Labels& prediction = model.predict_classes(x);
  const auto label = static_cast<std::size_t>(prediction(0));
  fmt::print("{} (confidence {:.3f})\n", nnfs::io::fashion_mnist_labels[label],
             static_cast<double>(confidences(0, static_cast<nnfs::Index>(label))));
}
