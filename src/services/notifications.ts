import * as vscode from 'vscode';
import { notificationText } from './plainText';

/**
 * VS Code's notifications with their text as text: the one way this extension shows a message, so
 * no file name, caption or server reply in it becomes a `command:` link (a unit test keeps every
 * other file off `window.show…Message` and notification progress).
 */

type Rest<T extends string> = [vscode.MessageOptions, ...T[]] | T[];
type Show = <T extends string>(message: string, ...rest: [vscode.MessageOptions, ...T[]]) => Thenable<T | undefined>;

/** An information message (or a modal one, with options); resolves to the button clicked. */
export function showInformation<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return show(vscode.window.showInformationMessage as Show, message, rest);
}

/** A warning (or a modal one, with options); resolves to the button clicked. */
export function showWarning<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return show(vscode.window.showWarningMessage as Show, message, rest);
}

/** An error message; resolves to the button clicked. */
export function showError<T extends string>(message: string, ...rest: Rest<T>): Thenable<T | undefined> {
  return show(vscode.window.showErrorMessage as Show, message, rest);
}

/** Progress in a notification: its title and each reported message as text. */
export function withNotificationProgress<R>(
  options: { readonly title: string; readonly cancellable?: boolean },
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notificationText(options.title), cancellable: options.cancellable }, (progress, token) =>
    task({ report: (value) => progress.report(value.message === undefined ? value : { ...value, message: notificationText(value.message) }) }, token),
  );
}

function show<T extends string>(showMessage: Show, message: string, rest: Rest<T>): Thenable<T | undefined> {
  const [first, ...items] = rest;
  const options: vscode.MessageOptions = typeof first === 'object' ? { ...first, detail: first.detail === undefined ? undefined : notificationText(first.detail) } : {};
  const buttons = (typeof first === 'object' ? items : rest) as T[];
  return showMessage<T>(notificationText(message), options, ...buttons);
}
