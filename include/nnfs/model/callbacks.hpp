// nnfs/model/callbacks.hpp — watching (and stopping) Model::train, as Keras callbacks do.
//
// Model::train calls every callback at these points:
//     on_train_begin(info)   once, before the first epoch
//     on_epoch_begin(epoch)  epochs are numbered from 1, as the book prints them
//     on_batch_end(batch)    after each optimizer step (full-batch training: one per epoch)
//     on_epoch_end(record)   with the epoch's History::Record (validation figures included when
//                            validation ran after this epoch)
//     on_warning(message)    when a callback raised a warning at the end of an epoch
//     on_train_end(history)  once, also when a callback stopped training
// Any callback can end training with request_stop(reason): the model finishes the current batch
// and epoch, then stops. Any callback can raise a warning with warn(message): after the epoch,
// the model hands it to every callback's on_warning and keeps it in History::warnings. Built in:
//     BookLog        the book's lines (chapter 18 for full-batch training, 19–22 for mini-batches)
//     ProgressBar    a Keras-style bar, redrawn in place only on a terminal; when one is attached
//                    the book's lines are left out unless TrainOptions::book_log asks for them
//     EarlyStopping  stops when a monitored figure has not improved for `patience` epochs
//     StallWarning   warns once when the loss has not improved for a window of epochs (attached
//                    by Model::train, for runs that have not learned, unless
//                    TrainOptions::stall_warning is 0)
// The History of every run is returned by Model::train (and can be written as CSV).

#include "nnfs/model/callback.hpp"        // IWYU pragma: export
#include "nnfs/model/early_stopping.hpp"  // IWYU pragma: export
#include "nnfs/model/progress.hpp"        // IWYU pragma: export
