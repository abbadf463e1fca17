# The action server: the official rasa-sdk image, the lock file installed unchanged (every
# file pip downloads checked against its hash) and the project's actions, bot/ and the action
# server launcher (addons/action_server.py keeps TensorFlow out of the process).
# tests/e2e/test_deploy_images.py runs these RUN and ENTRYPOINT lines in a fresh venv.
# Context: the repository root.
FROM rasa/rasa-sdk:3.6.2
USER root
COPY requirements.txt /app/requirements.txt
# /app/.venv: where scripts/env.sh looks for the Python to run (the image's own).
RUN pip install --no-cache-dir --require-hashes -r /app/requirements.txt \
 && ln -s "$(dirname "$(dirname "$(command -v python)")")" /app/.venv
# actions.Dockerfile.dockerignore lists what is copied.
COPY --chown=1001:0 . /app
WORKDIR /app
ENV ACTION_HOST=0.0.0.0 ACTION_PORT=5055
USER 1001
ENTRYPOINT ["/app/scripts/server.sh"]
CMD ["actions"]
