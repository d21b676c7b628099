"""Latin-American Spanish texts of the student-facing catalogue: one per key of ``CATALOG["en"]``.

Same ``str.format`` fields and format specs as the English templates. The texts use "tu" but
no second-person verb forms (they advise with "hay que", "conviene", the impersonal "se"), so
they read right with voseo (Uruguay, Argentina) and with tuteo alike. Vocabulary: capa,
filtro, función, paso (stride), relleno (padding), sesgo (bias), lote (batch), pérdida (loss),
propagación hacia adelante (forward), retropropagación (backward); an optimizer's "step" is an
"actualización"/"iteración", so that "paso" always means the stride. Imports nothing.
"""

TEXTS: dict[str, str] = {
    # calling student code -------------------------------------------------------------
    "call.exception": "{function}({case}) lanzó {error_type}: {message}{where}",
    "call.not_implemented": "{function} todavía no está implementada (lanza NotImplementedError).",
    "call.timeout": "{function}({case}) no terminó en {timeout:g} s. Conviene buscar un bucle que "
                    "nunca termina, o un bucle sobre cada píxel que es demasiado lento (hay que "
                    "vectorizarlo).",
    "call.crash": "{function}({case}): {message}. Tu código se reinició para las demás "
                  "verificaciones.",
    "call.protocol": "{function}({case}) devolvió algo que el corrector no pudo leer ({message}).",
    "call.unencodable": "{function}({case}) devolvió un valor que no se pudo leer ({message}).",
    "call.forget": "{function}: cuando el corrector descartó los valores guardados por esta "
                   "verificación (los caches), tu código se comportó mal ({kind}: {message}). "
                   "Conviene buscar un __del__, un generador o un hilo en lo que la función devuelve.",
    "call.missing": "{module}.py no define ninguna función {function}: hay que mantener el nombre y "
                    "la firma del esqueleto (stub).",
    "import.failed": "{module}.py no se pudo importar ({error_type}: {message}){where}. Todas las "
                     "funciones de {module}.py reciben 0 hasta que el archivo se pueda importar.",
    "import.timeout": "importar {module}.py tardó más de {timeout:g} s (el código del nivel superior "
                      "del archivo se ejecuta al importarlo: hay que moverlo dentro de una función).",
    "import.banned": "{module}.py importa {names}: en las tareas 01-03 solo se permiten numpy y la "
                     "biblioteca estándar, así que todas las funciones de {module}.py reciben 0. Hay "
                     "que quitar esa importación.",
    "file.missing": "Falta {file} en la entrega, así que sus funciones reciben 0. El archivo debe "
                    "entregarse con exactamente este nombre (encontrados: {found}).",
    "batch.unreadable": "{reason} No se pudo corregir nada de esta entrega, así que todas las "
                        "comprobaciones reciben 0: entrégala de nuevo como se indica.",
    # validating values ------------------------------------------------------------------
    "value.type": "{function}, {case}: {name} es de tipo {got_type}, pero debería ser de tipo "
                  "{expected_type}.",
    "value.dtype_kind": "{function}, {case}: {name} tiene dtype {dtype}; se esperaba un array de "
                        "punto flotante (float).",
    "value.shape": "{function}, {case}: {name} tiene forma (shape) {got}, pero debería tener "
                   "{expected}.",
    "value.dtype": "{function}, {case}: {name} tiene dtype {got}, pero debería tener {expected} (el "
                   "dtype debe seguir al de la entrada: entra float32, sale float32).",
    "value.nonfinite": "{function}, {case}: {name}{index} vale {got:.6g} ({count} valores no "
                       "finitos), pero debería valer {expected:.6g}. NaN e inf vienen de un "
                       "desbordamiento (overflow: exp de un número grande), de log(0) o de 0/0.",
    "value.mismatch": "{function}, {case}: {name}{index} vale {got:.6g}, pero debería valer "
                      "{expected:.6g} (error relativo máximo {err:.1e}; {bad} de {size} valores "
                      "difieren).",
    "value.scalar_type": "{function}, {case}: {name} es de tipo {got_type}, pero debería ser un "
                         "número (un float de Python o un valor numpy de dimensión 0).",
    "value.structure": "{function}, {case}: devolvió {got}, pero debería devolver {expected}.",
    "value.wrong": "{function}, {case}: devolvió {got!r}, pero debería devolver {expected!r}.",
    # {verb} (English "is"/"are", passed by the checks) is left out on purpose: it cannot be
    # used in a Spanish sentence. The sentence below reads right for one name or several.
    "value.also_right": " No hay errores en {right}, así que conviene revisar cómo se calcula "
                        "{name}.",
    # properties ---------------------------------------------------------------------------
    "property.mutation": "{function}({case}) modificó su argumento {args}: hay que calcular arrays "
                         "nuevos (x = x + 1, np.pad, .copy()) en lugar de escribir en las entradas.",
    "property.gated": "todavía no obtenido: esto solo cuenta junto con valores correctos de "
                      "{function} (falló: {failed}).",
    "error.not_raised": "{function}({case}) debería lanzar ValueError ({why}), pero terminó "
                        "normalmente.",
    "error.wrong_type": "{function}({case}) lanzó {error_type} ({message}); se esperaba ValueError "
                        "({why}). Hay que validar los argumentos y lanzar ValueError con un mensaje.",
    "error.no_name": "{function}({case}) lanzó ValueError({message!r}); el mensaje debería nombrar "
                     "el argumento ({names}).",
    # optimizers -------------------------------------------------------------------------
    "optim.config_type": "{function} devolvió una config de tipo {got}; hay que devolver el "
                         "diccionario config (hiperparámetros y estado) como segundo elemento.",
    "optim.state_missing": "{function}: la config devuelta no tiene {key!r} (tiene: {keys}); el "
                           "estado del optimizador debe guardarse con los nombres de clave del contrato "
                           "(docs/contract.md §5).",
    "optim.t": "{function}: config['t'] vale {got} después de {steps} iteraciones, pero debería "
               "valer {expected}. Hay que incrementar t antes de usarlo en la corrección de sesgo "
               "(bias), y guardarlo.",
    # the training task ------------------------------------------------------------------
    "train.bad_value": "durante el entrenamiento, {function} devolvió algo distinto de {what}.",
    "train.diverged": "durante el entrenamiento, {function} devolvió pesos NaN o inf: el "
                      "entrenamiento divergió.",
    "train.below": "tu {optimizer} entrenó la CNN hasta {accuracy:.1%} de exactitud en {n} imágenes "
                   "de prueba de MNIST después de {steps} iteraciones; se necesita al menos "
                   "{threshold:.0%}. Tu optimizador pasa las verificaciones de una sola "
                   "actualización, así que conviene mirar lo que cambia a lo largo de muchas "
                   "iteraciones (el estado que guarda).",
    # dropout and initialisers -----------------------------------------------------------
    "dropout.scale": "dropout_forward, {case}: out{index} vale {got:.6g} donde x vale {x:.6g}; un "
                     "elemento conservado debe valer x / (1 - rate) = {expected:.6g} y uno "
                     "descartado, exactamente 0 (el dropout invertido escala durante el "
                     "entrenamiento).",
    "dropout.fraction": "dropout_forward, {case}: se conserva una fracción {kept:.3f} de los "
                        "elementos, pero debería ser 1 - rate = {expected:.3f} (rate es la "
                        "probabilidad de descartar).",
    "dropout.not_deterministic": "dropout_forward dio dos salidas distintas para la misma semilla "
                                 "del rng: la máscara debe sortearse con el argumento rng "
                                 "(rng.random(x.shape)), nunca con np.random.",
    "dropout.ignores_rng": "dropout_forward dio la misma máscara para dos semillas distintas del "
                           "rng: la máscara debe sortearse con el argumento rng.",
    "init.mean": "{function}, {case}: la media muestral es {got:.4g}; se esperaba cerca de 0 "
                 "(desviación estándar {std:.4g}).",
    "init.std": "{function}, {case}: la desviación estándar muestral es {got:.4g}, pero debería ser "
                "{expected:.4g} (fan_in = {fan_in}, fan_out = {fan_out}, contados como en Keras).",
    "init.not_deterministic": "{function} dio pesos distintos para la misma semilla del rng: hay "
                              "que sortear solo con el argumento rng.",
    "init.ignores_rng": "{function} dio los mismos pesos para dos semillas distintas del rng: hay "
                        "que sortear con el argumento rng.",
    # the quiz ---------------------------------------------------------------------------
    "quiz.no_id": "quiz_answers.py: STUDENT_ID vale {got}; debe contener tu número de estudiante, "
                  "como string, para que el corrector pueda volver a generar tus preguntas.",
    "quiz.other_id": "quiz_answers.py: STUDENT_ID vale {got!r}, pero esta entrega es de "
                     "{expected!r}: el quiz se corrige con tus propias preguntas, así que "
                     "STUDENT_ID debe valer {expected!r} y hay que responder las preguntas que "
                     "genera.",
    "quiz.no_answers": "quiz_answers.py: ANSWERS es de tipo {got}; debe ser un dict como "
                       "{{'q1': 42}}.",
    "quiz.unanswered": "{qid} todavía no tiene respuesta: {text}",
    "quiz.unreadable": "{qid}: la respuesta {got} no se puede leer como {kind} (un int, True/False, "
                       "o una tupla (alto, ancho, profundidad) para un volumen).",
    "quiz.wrong": "{qid} ({topic}): {got} no es correcto. La pregunta era: {text} {formula}",
    "picture": "(Una imagen de la diferencia: {path}.)",
    # gradient checks ----------------------------------------------------------------------
    "gradcheck.note": " Un gradiente numérico de tu propia propagación hacia adelante (forward) "
                      "coincide con el {name} esperado, así que la propagación hacia adelante es "
                      "coherente y el error está en la retropropagación (backward).",
    "gradcheck.own": " Tu {name} sí coincide con un gradiente numérico de tu propia propagación "
                     "hacia adelante (forward), así que probablemente la propagación hacia adelante "
                     "también esté mal.",
    # hints: convolution.py --------------------------------------------------------------
    "hint.correlate_flipped":
        "Tu salida es una convolución verdadera (kernel invertido): correlate2d no debe invertir "
        "el kernel; solo convolve2d lo hace.",
    "hint.convolve_not_flipped":
        "Tu salida es una correlación: convolve2d primero rota el kernel 180 grados "
        "(kernel[::-1, ::-1]).",
    "hint.convolve_one_axis":
        "Tu kernel está invertido en un solo eje: una rotación de 180 grados invierte los dos.",
    "hint.template_not_divided":
        "Tu mapa no está dividido por la cantidad de píxeles de la plantilla (template.size).",
    "hint.ceil_zero_padding":
        "Tus ventanas parciales del borde cuentan los ceros del relleno (padding): una ventana "
        "parcial toma el máximo solo de los píxeles que contiene (hay que rellenar con -inf, o "
        "recortar con slicing).",
    "hint.ceil_ignored":
        "Tu salida ignora ceil_mode=True: las ventanas parciales del borde deben contar.",
    "hint.relu_float64":
        "Tus valores son correctos pero en float64: algo en relu es float64 (una máscara hecha con "
        ".astype(float), np.zeros(x.shape), un array float64) y promueve un x float32. "
        "np.maximum(x, 0) o np.where(x > 0, x, 0) mantienen el dtype de x.",
    # hints: layers.py -------------------------------------------------------------------
    "hint.zero_pad.all_axes":
        "Tu resultado también tiene relleno (padding) a lo largo de N y C: rellenar todos los ejes "
        "con el mismo ancho es lo que pasa cuando no se da un ancho por eje. Solo H y W (ejes 1 y "
        "2) reciben ceros.",
    "hint.conv_forward.flipped":
        "Tu salida es igual a una convolución verdadera, con el filtro rotado 180 grados. Las "
        "capas de una CNN calculan una correlación cruzada: cada ventana se multiplica por w tal "
        "como está.",
    "hint.conv_forward.no_bias":
        "Tu salida es igual a la de la capa sin su sesgo (bias): cada píxel de salida del filtro f "
        "también recibe b[f].",
    "hint.conv_forward.stride_ignored":
        "Tu salida es la que da el paso (stride) 1: el píxel de salida (i, j) mira la ventana que "
        "empieza en la fila i*stride y la columna j*stride de la entrada rellenada, y el tamaño de "
        "la salida se divide por el paso.",
    "hint.conv_forward.pad_ignored":
        "Tu salida es la que da pad=0: la entrada debe rellenarse con ceros antes de que el filtro "
        "se deslice sobre ella, y el tamaño de la salida tiene en cuenta el relleno (padding).",
    "hint.conv_forward.pad_one_side":
        "Tu salida coincide con una entrada que tiene las 2*pad filas (y columnas) de ceros de un "
        "solo lado. El relleno (padding) es por lado: pad filas arriba y pad filas abajo, y lo "
        "mismo a la izquierda y a la derecha.",
    "hint.conv_backward.stride_ignored":
        "Tus gradientes son los que dan ventanas que empiezan en (i, j) en lugar de "
        "(i*stride, j*stride): en la retropropagación (backward), dout[n, i, j, f] pertenece a la "
        "misma ventana de la entrada rellenada que en la propagación hacia adelante (forward).",
    "hint.conv_backward.dx_minus_pad":
        "Tu dx está vacío porque el slice que quita el relleno (padding) no selecciona nada cuando "
        "pad = 0: en ese caso, un índice final negativo -pad vale 0. El final del slice se calcula "
        "a partir de H y W.",
    "hint.conv_backward.dx_not_cropped":
        "Tu dx tiene la forma (shape) de la entrada rellenada: el gradiente del relleno de ceros "
        "se descarta, y dx conserva solo las H x W filas y columnas que vinieron de x.",
    "hint.conv_backward.dx_assigned":
        "Tu dx pierde las contribuciones de las ventanas superpuestas: donde las ventanas (o los "
        "filtros) comparten píxeles de entrada, el gradiente de cada una debe sumarse a dx (+=), "
        "no asignarse (=).",
    "hint.conv_backward.db_mean":
        "Tu db es un promedio; el sesgo (bias) se suma a cada píxel de salida de cada ejemplo, así "
        "que su gradiente es la suma de dout sobre N, H_out y W_out.",
    "hint.conv_backward.dw_last_example":
        "Tu dw contiene solo la contribución del último ejemplo: los filtros son compartidos por "
        "todo el lote (batch), así que dw acumula sobre los N ejemplos (se inicializa en cero una "
        "sola vez, antes del bucle).",
    "hint.max_pool_forward.stride_default":
        "Tu salida es la que da el paso (stride) 1: stride=None significa que el paso es igual al "
        "tamaño del pooling (ventanas sin superposición), como en Keras.",
    "hint.max_pool_backward.ties_all":
        "Tu dx le da el gradiente a todo elemento igual al máximo de su ventana. Cuando varios "
        "empatan, solo el primero en orden por filas (row-major), el que elige np.argmax, lo "
        "recibe.",
    "hint.max_pool_backward.ties_last":
        "Tu dx le da el gradiente de una ventana con empate a su último elemento máximo; la "
        "convención es el primero en orden por filas (row-major), el que elige np.argmax.",
    "hint.max_pool_backward.assigned":
        "Las ventanas superpuestas (paso (stride) menor que el tamaño del pooling) pueden "
        "compartir elementos e incluso su máximo: sus gradientes deben sumarse en dx (+=); asignar "
        "(=) conserva solo el de la última ventana.",
    "hint.max_pool_backward.whole_window":
        "Tu dx le da dout a todos los elementos de la ventana. Solo el elemento máximo influyó en "
        "la salida del max pooling, así que solo él recibe el gradiente; los demás reciben 0.",
    "hint.avg_pool_forward.sum":
        "Tu salida es la suma de cada ventana; el average pooling la divide por la cantidad de "
        "elementos, ph * pw.",
    "hint.avg_pool_forward.stride_default":
        "Tu salida es la que da el paso (stride) 1: stride=None significa que el paso es igual al "
        "tamaño del pooling (ventanas sin superposición), como en Keras.",
    "hint.avg_pool_backward.not_divided":
        "Tu dx es ph * pw veces demasiado grande: cada elemento aporta 1/(ph * pw) del promedio de "
        "su ventana, así que recibe esa parte de dout.",
    "hint.avg_pool_backward.assigned":
        "Las ventanas superpuestas (paso (stride) menor que el tamaño del pooling) comparten "
        "elementos: la parte del gradiente de cada ventana debe sumarse a dx (+=); asignar (=) "
        "conserva solo la de la última.",
    "hint.relu_backward.ge_zero":
        "Tu dx también deja pasar el gradiente donde x == 0. La convención del curso es "
        "relu'(0) = 0: el gradiente solo fluye donde x > 0.",
    "hint.affine_backward.dx_flat":
        "Tu dx tiene la forma aplanada (N, D); debe tener la forma del x original "
        "(N, d1, ..., dk), que la propagación hacia adelante (forward) puede guardar en su cache.",
    "hint.affine_backward.db_mean":
        "Tu db está promediado sobre el lote (batch); b se suma a la salida de cada ejemplo, así "
        "que db es la suma de dout sobre las N filas.",
    "hint.softmax.no_shift":
        "exp se desborda a inf para scores mayores que ~709 (float64), e inf / inf es NaN. El "
        "softmax no cambia cuando se resta una constante a toda una fila, así que hay que "
        "desplazar cada fila por su máximo antes del exp.",
    "hint.softmax.wrong_axis":
        "Tus columnas suman 1, y no tus filas: cada fila de scores es un ejemplo, así que el "
        "máximo, la suma de los exp y la división se hacen a lo largo del eje 1, por fila.",
    "hint.softmax_cross_entropy.loss_sum":
        "Tu pérdida (loss) es la suma sobre el lote (batch); debe ser la media sobre los N "
        "ejemplos.",
    "hint.softmax_cross_entropy.dscores_not_divided":
        "Tu dscores es N veces demasiado grande: la pérdida (loss) es una media sobre N ejemplos, "
        "así que su gradiente, probs - onehot(y), también se divide por N.",
    "hint.softmax_cross_entropy.no_shift":
        "exp se desborda con scores grandes, y las probabilidades se vuelven inf/inf = NaN. "
        "Primero hay que desplazar cada fila por su máximo, y tomar el log de las probabilidades a "
        "partir de los scores desplazados (log-sum-exp), no el log de una probabilidad que puede "
        "redondearse a 0.",
    "hint.softmax_cross_entropy.log_of_probs":
        "Tu pérdida (loss) es inf aunque el desplazamiento está bien: la probabilidad de una "
        "etiqueta cuyo score está muy por debajo del máximo de la fila se redondea a 0, y "
        "log(0) = -inf. Hay que calcular las log-probabilidades directamente, "
        "shifted - log(sum(exp(shifted))) (log-sum-exp), en lugar de log(softmax).",
    # hints: optim.py --------------------------------------------------------------------
    "hint.sgd_ascent": "Tu actualización sube por el gradiente: SGD resta learning_rate * dw.",
    "hint.momentum_no_velocity":
        "Tu actualización es igual a la de SGD simple: la velocidad debe pasar de una "
        "actualización a la siguiente en config['velocity'] (v = momentum * v + learning_rate * dw).",
    "hint.velocity_sign":
        "Tu actualización trata la velocidad recibida con el signo opuesto (v = momentum * v - "
        "learning_rate * dw; w + v, la convención de CS231n). El curso guarda v = momentum * v + "
        "learning_rate * dw y actualiza con w - v: la misma trayectoria partiendo de cero, pero no "
        "partiendo de un estado guardado.",
    "hint.nesterov_plain_momentum":
        "Tu actualización es igual a la del momentum clásico (w - v_new). Con w como punto "
        "anticipado (look-ahead), la actualización del contrato (docs/contract.md §5) es "
        "w + momentum * v - (1 + momentum) * v_new.",
    "hint.adagrad_eps_outside":
        "Tu actualización pone epsilon fuera de la raíz cuadrada, g / (sqrt(G) + eps); el AdaGrad "
        "del curso divide por sqrt(G + eps).",
    "hint.rmsprop_eps_outside":
        "Tu actualización pone epsilon fuera de la raíz cuadrada; el RMSprop del curso divide por "
        "sqrt(E + eps).",
    "hint.rmsprop_swapped_decay":
        "Tu promedio móvil pondera el nuevo g**2 por decay_rate y el promedio anterior por "
        "(1 - decay_rate): es al revés.",
    "hint.adadelta_no_lr":
        "Tu actualización ignora learning_rate: el AdaDelta del contrato (docs/contract.md §5) aplica "
        "w + learning_rate * delta.",
    "hint.adadelta_delta_after":
        "Tu actualización usa E[delta^2] después de actualizarlo con el delta de esta iteración; "
        "hay que calcular delta a partir del E[delta^2] anterior y solo entonces actualizarlo.",
    "hint.adam_eps_inside":
        "Tu actualización pone epsilon dentro de la raíz cuadrada, sqrt(v_hat + eps); el Adam del "
        "curso divide por sqrt(v_hat) + eps. (Con el eps por defecto = 1e-8 los dos se parecen; "
        "con un eps más grande, no.)",
    "hint.adam_no_bias_correction":
        "Tu actualización usa m y v sin la corrección de sesgo (bias) m / (1 - beta1**t), "
        "v / (1 - beta2**t).",
    "hint.adam_t_after":
        "Tu corrección de sesgo (bias) usa t antes de incrementarlo: t debe incrementarse primero, "
        "para que la primera actualización use t = 1.",
    # hints: regularization.py -----------------------------------------------------------
    "hint.l2_no_two":
        "Tu dw es lam/n * w: la derivada de w**2 es 2w, así que dw = 2 * lam/n * w.",
    "hint.l2_half":
        "Se usó la convención 1/2 * lam * sum(w**2); la L2 de las diapositivas no tiene el 1/2 "
        "(penalización lam/n * sum(w**2), dw = 2 * lam/n * w).",
    "hint.l2_ignores_n":
        "Tu penalización ignora n: las diapositivas dividen lam por la cantidad de ejemplos n.",
    "hint.l1_sign_zero": "Tu dw no es 0 donde w == 0: conviene usar np.sign, cuyo sign(0) es 0.",
    "hint.l1_ignores_n":
        "Tu penalización ignora n: las diapositivas dividen lam por la cantidad de ejemplos n.",
    "hint.enet_swapped":
        "Tu mezcla está invertida: l1_ratio pondera la parte L1 y 1 - l1_ratio, la parte L2.",
    "hint.dropout_keep_rate":
        "Tu código conserva los elementos con probabilidad rate: rate es la probabilidad de "
        "DESCARTAR uno (Dropout(rate) de Keras), así que hay que conservar cada elemento con "
        "probabilidad 1 - rate.",
}

# Tarea 04 (Keras) ---------------------------------------------------------------------------
TEXTS.update({
    "import.banned_keras": "{module}.py importa {names}: en la tarea 04 se usa Keras (sobre "
                           "TensorFlow), numpy y la biblioteca estándar, así que todas las funciones "
                           "de {module}.py reciben 0. Hay que quitar esa importación.",
    "keras.probe_failed": "{function}({case}): al {action}, el modelo lanzó {error_type}: "
                          "{message}",
    "keras.not_model": "{function}({case}) devolvió un {got}, pero debía devolver un keras.Model "
                       "(hay que construirlo con keras.Sequential o keras.Model y devolverlo).",
    "keras.input_shape": "{function}({case}): el modelo recibe imágenes de forma {got}, pero se "
                         "esperaba {expected}: hay que empezar con keras.Input(shape=input_shape).",
    "keras.output_shape": "{function}({case}): el modelo produce forma {got} por imagen, pero se "
                          "esperaba {expected}: hay que terminar con Dense(num_classes, activation=\"softmax\").",
    "keras.layers": "{function}({case}): el modelo tiene {count} capas, {got}; se esperaban "
                    "{expected_count}: {expected}.",
    "keras.layer": "{function}({case}): la capa {index} ({layer}) tiene {what} {got}, pero se "
                   "esperaba {expected}. Conviene calcular la forma de salida de cada capa (H_out = H - HH + 1 "
                   "en una convolución 5x5 válida, H / 2 en un pooling 2x2) y sus parámetros "
                   "(HH * WW * C * F + F en una convolución, entradas * unidades + unidades en una "
                   "capa Dense).",
    "keras.initializer": "{function}({case}): la capa {index} ({layer}) empieza con pesos {got}, pero "
                         "se esperaba he_normal: hay que pasar kernel_initializer=\"he_normal\" (la "
                         "inicialización de He mantiene la escala de las activaciones ReLU a lo largo "
                         "de las capas).",
    "keras.not_compiled": "{function}({case}) devolvió un modelo sin compilar: hay que llamar a "
                          "model.compile(...) (compile_classifier lo hace) antes de devolverlo.",
    "keras.no_metrics": "{function}({case}): el modelo no informa la exactitud (sus métricas: {got}); "
                        "hay que compilarlo con metrics=[\"accuracy\"].",
    "keras.loss": "{function}({case}): con etiquetas enteras la pérdida del modelo es {got}, pero la "
                  "entropía cruzada de sus propias predicciones es {expected}. Hay que compilar con "
                  "loss=\"sparse_categorical_crossentropy\" (las etiquetas son enteros de 0 a 9, no "
                  "one-hot) y from_logits=False, porque la última capa ya aplica softmax.",
    "keras.accuracy_metric": "{function}({case}): la métrica de exactitud del modelo es {got}, pero "
                             "sus predicciones aciertan {expected} de las imágenes: hay que usar "
                             "metrics=[\"accuracy\"] con etiquetas enteras.",
    "keras.no_conv": "{function}({case}): el modelo no tiene ninguna capa Conv2D; esta tarea pide "
                     "una red convolucional.",
    "keras.not_probabilities": "{function}({case}): las salidas en {n} imágenes no son probabilidades "
                               "(la fila {row} suma {got:.4g}): la activación de la última capa debe "
                               "ser softmax.",
    "keras.budget": "{function}({case}): el modelo tiene {got:,d} parámetros, más que el límite de "
                    "{budget:,d}. Una capa de pooling antes del Flatten, menos filtros o una capa "
                    "Dense más chica los reducen (la Dense después del Flatten suele tener la mayoría).",
    "keras.too_slow": "{function}, {case}: entrenar el modelo tardó más de {timeout:g} s en la CPU "
                      "del corrector. Hay que achicarlo (menos filtros, pooling antes).",
    "keras.not_learning": "{function}, {case}: después del entrenamiento, el modelo acierta "
                          "{accuracy:.1%} de {n} imágenes de prueba; se espera al menos "
                          "{threshold:.0%}. Conviene revisar que el modelo entrenado sea el recibido "
                          "(no una copia), la tasa de aprendizaje y la cantidad de épocas.",
    "keras.not_history": "{function}({case}) devolvió un {got}, pero debía devolver el "
                         "keras.callbacks.History que devuelve model.fit.",
    "keras.history_keys": "{function}({case}): el historial tiene {got} pero no {missing}: hay que entrenar "
                          "con validation_split=validation_split un modelo compilado con "
                          "metrics=[\"accuracy\"].",
    "keras.epochs": "{function}({case}): el modelo se entrenó {got} épocas, pero se esperaban "
                    "{expected}: hay que pasar epochs=epochs a model.fit.",
    "keras.steps": "{function}({case}): cada época tuvo {got} iteraciones, pero se esperaban "
                   "{expected} ({n} ejemplos de entrenamiento después de separar "
                   "validation_split={split:g}, en lotes de {batch_size}): hay que pasar batch_size y "
                   "validation_split a model.fit.",
    "keras.head": "{function}({case}): la última capa es {got}, pero se esperaba una nueva "
                  "Dense(num_classes, activation=\"softmax\").",
    "keras.trainable_params": "{function}({case}): {got:,d} pesos son entrenables, pero se "
                              "esperaban {expected:,d} (los del nuevo clasificador, después del "
                              "Flatten): con freeze=True hay que poner trainable = False en cada "
                              "capa de características reutilizada y después compilar.",
    "keras.trainable_params_unfrozen": "{function}({case}): {got:,d} pesos son entrenables, pero "
                                       "se esperaban {expected:,d} (todos): con freeze=False todas "
                                       "las capas siguen siendo entrenables.",
    "keras.transfer_features": "{function}({case}): las probabilidades del nuevo modelo no son su "
                               "clasificador aplicado a las características de la base: después de "
                               "feature_layers(base) van solo las nuevas capas Dense y Dropout.",
    "keras.trainable": "{function}({case}): la capa {index} ({layer}) tiene trainable={got}, pero "
                       "se esperaba {expected}. De las convoluciones de las capas de "
                       "características, las {n} de arriba pasan a ser entrenables y las de abajo "
                       "siguen congeladas; el clasificador después del Flatten sigue siendo "
                       "entrenable.",
    "keras.learning_rate": "{function}({case}): el modelo está compilado con tasa de aprendizaje "
                           "{got:g}, pero se esperaba {expected:g}: hay que recompilar con "
                           "keras.optimizers.Adam(learning_rate).",
    "keras.action.model_table": "leer las capas del modelo",
    "keras.action.predict": "predecir con el modelo",
    "keras.action.evaluate": "evaluar el modelo con etiquetas enteras",
    "keras.action.history": "leer el historial",
    "keras.action.fit": "entrenar el modelo",
    "keras.action.make_model": "construir un modelo de prueba",
    "keras.action.layer_weights": "leer los pesos",
    "keras.action.set_seed": "fijar la semilla",
    "keras.transfer_reuse": "{function}({case}): el nuevo modelo no empieza con las capas de "
                            "características de la base y sus pesos entrenados: hay que reutilizar "
                            "las propias capas de feature_layers(base) (todas hasta el Flatten, "
                            "inclusive), no copias nuevas o reinicializadas.",
    "keras.what.output_shape": "forma de salida",
    "keras.what.params": "número de parámetros",
    "keras.what.activation": "activación",
    "keras.what.rate": "tasa de dropout",
    "keras.integer_labels": "{function}({case}): evaluar el modelo con etiquetas enteras (0..9) "
                            "lanzó {error_type}: {message}. Hay que compilarlo con "
                            "loss=\"sparse_categorical_crossentropy\": categorical_crossentropy "
                            "espera etiquetas one-hot.",
    "keras.features_hint": " Las características son las salidas de las capas de características "
                           "(hasta el Flatten, inclusive) en modo de inferencia (dropout apagado): "
                           "model.predict, o training=False.",
})

# El cuestionario de la tarea 01 -------------------------------------------------------------
TEXTS.update({
    "quiz.topic.q1": "volumen de salida de la convolución",
    "quiz.topic.q2": "¿el filtro encaja?",
    "quiz.topic.q3": "relleno que mantiene el tamaño",
    "quiz.topic.q4": "parámetros de la convolución",
    "quiz.topic.q5": "parámetros de la capa densa",
    "quiz.topic.q6": "salida del pooling",
    "quiz.topic.q7": "campo receptivo",
    "quiz.topic.q8": "densa vs convolucional",
    "quiz.topic.q9": "densa vs convolucional",
    "quiz.topic.q10": "la cadena de AlexNet",
    "quiz.text.q1": "Un volumen de entrada de {n}x{n}x{c} pasa por una capa convolucional de {k} filtros "
                    "de {f}x{f}, paso {s}, relleno {p}. ¿Cuál es el volumen de salida (alto, ancho, "
                    "profundidad)?",
    "quiz.text.q2": "Un filtro de {f}x{f} se desliza sobre una entrada de {n}x{n} con paso {s} y sin "
                    "relleno. ¿Cubre la entrada exactamente (True/False)?",
    "quiz.text.q3": "¿Qué relleno mantiene el tamaño espacial para un filtro de {f}x{f} con paso "
                    "1?",
    "quiz.text.q4": "¿Cuántos parámetros entrenables (pesos y sesgos) tiene una capa convolucional de {k} "
                    "filtros de {f}x{f} sobre una entrada de profundidad {c}?",
    "quiz.text.q5": "¿Cuántos parámetros entrenables tiene una capa densa de {n_in} entradas a {n_out} "
                    "salidas (pesos y sesgos)?",
    "quiz.text.q6": "Un max pooling de {size}x{size} con paso {s} (sin relleno, las filas que sobran se "
                    "descartan) se aplica a un mapa de {n}x{n}. ¿Cuál es el ancho de la salida?",
    "quiz.text.q7": "Una pila de capas, la más cercana a la entrada primero: {f1}x{f1} paso {s1}, luego "
                    "{f2}x{f2} paso {s2}, luego {f3}x{f3} paso {s3}. ¿Cuántos píxeles de la entrada "
                    "de ancho tiene el campo receptivo de una unidad de salida?",
    "quiz.text.q8": "Una imagen RGB de {side}x{side} está totalmente conectada a {hidden} unidades "
                    "ocultas. ¿Cuántos parámetros entrenables tiene esa capa?",
    "quiz.text.q9": "En cambio, se aplica a la misma imagen una capa convolucional de {k} filtros de "
                    "{f}x{f}. ¿Cuántas veces más parámetros tiene la capa densa? Redondear al entero "
                    "más cercano.",
    "quiz.text.q10": "Una cadena al estilo de AlexNet sobre una imagen de {n}x{n}x3: convolución 11x11 "
                     "paso 4 (sin relleno), max pooling 3x3 paso 2, convolución 5x5 paso 1 relleno 2, "
                     "max pooling 3x3 paso 2. ¿Cuál es el ancho espacial final?",
})

# Words of the reports
TEXTS.update({
    "report.function": 'función',
    "report.points": 'puntos',
    "report.checks": 'verificaciones',
    "report.checks_passed": 'verificaciones aprobadas',
    "report.passed": '{ok}/{n} aprobadas',
    "report.total": 'total',
    "report.what_to_fix": 'Qué corregir:',
    "report.more_checks.one": '{name} y {count} verificación más',
    "report.more_checks.other": '{name} y {count} verificaciones más',
    "report.points_n.one": '{points} punto',
    "report.points_n.other": '{points} puntos',
    "report.failure": '[{names}] {message}',
    "report.all_public_pass": "Todas las verificaciones públicas pasan.",
    "report.function_public_pass": "Todas las verificaciones públicas de {functions} pasan.",
    "report.selected_public_pass.one": "La {count} verificación pública ejecutada pasa.",
    "report.selected_public_pass.other": "Las {count} verificaciones públicas ejecutadas pasan.",
    "report.not_run_here.one": "No se ejecuta aquí: {names}; la calificación la verifica con casos "
                               "ocultos.",
    "report.not_run_here.other": "No se ejecutan aquí: {names}; la calificación las verifica con "
                                 "casos ocultos.",
    "report.other_inputs": "La calificación también repite cada verificación con otras entradas, "
                           "así que pasar aquí es necesario, pero no suficiente: conviene probar "
                           "también los casos límite.",
    "report.selfcheck": "SelfCheck({score} / {max_score} puntos públicos)",
    "pytest.summary": "verificaciones públicas de {assignment}: {score} / {points}",
    "pytest.summary_some": "verificaciones públicas de {assignment} ejecutadas ({ran} de {total}): "
                           "{score} / {points}",
    "pytest.see_above": "<- ver las pruebas fallidas arriba",
    "pytest.same_cause": "misma causa",
    "pytest.also_failed.one": "{names} también falla (misma causa).",
    "pytest.also_failed.other": "{names} también fallan (misma causa).",
    "pytest.same_as": "falla porque {cause} falla (ver arriba).",
})

# The formula that answers each quiz question (quiz.wrong)
TEXTS.update({
    "quiz.formula.q1": "Alto y ancho: H_out = (H + 2*pad - F) // stride + 1; la profundidad es el "
                       "número de filtros.",
    "quiz.formula.q2": "El filtro cubre la entrada exactamente cuando (N - F) es múltiplo del paso: "
                       "(N - F) % stride == 0.",
    "quiz.formula.q3": "Con paso 1, pad = (F - 1) / 2 mantiene el tamaño, ya que N + 2*pad - F + 1 = N.",
    "quiz.formula.q4": "Cada filtro tiene F*F*profundidad pesos y un sesgo: (F*F*profundidad + 1) * "
                       "filtros.",
    "quiz.formula.q5": "Un peso por cada par entrada-salida y un sesgo por salida: n_in*n_out + n_out.",
    "quiz.formula.q6": "El pooling sigue la regla de la convolución sin relleno: (N - size) // "
                       "stride + 1.",
    "quiz.formula.q7": "r = 1 + la suma, sobre las capas, de (f - 1) por el producto de los pasos de "
                       "las capas anteriores.",
    "quiz.formula.q8": "Cada píxel de cada canal es una entrada: side*side*3*hidden pesos, más un "
                       "sesgo por unidad oculta.",
    "quiz.formula.q9": "Dividir los parámetros de la capa densa (q8: side*side*3*hidden + hidden) "
                       "entre los de la capa convolucional (f*f*3*k + k: los pesos de cada filtro se "
                       "comparten en todas las posiciones, más un sesgo por filtro) y redondear al "
                       "entero más cercano.",
    "quiz.formula.q10": "Aplicar H_out = (H + 2*pad - F) // stride + 1 a cada capa, en orden, "
                        "incluidos los poolings (sin relleno).",
})

# Assignment 04, judged where the student process cannot reach (issue 14 section 3)
TEXTS.update({
    "keras.action.model_config": "leer la configuración del modelo (model.to_json())",
    "keras.no_config": "{function}({case}): al {action}, el modelo lanzó {error_type}: {message}. "
                       "El corrector vuelve a entrenar una copia nueva de tu modelo, reconstruida a "
                       "partir de esa configuración: constrúyelo con las capas nativas de Keras, en "
                       "keras.Sequential o keras.Model(inputs, outputs).",
    "keras.rebuild_refused": "{function}, {case}: el corrector vuelve a entrenar una copia nueva de "
                             "tu modelo, reconstruida a partir de su configuración "
                             "(model.to_json()) en un proceso aparte, y no la reconstruyó: {reason}.",
    "keras.rebuild.unreadable": "la configuración no es una que produzca el to_json() de un modelo "
                                "(JSON de 1 MB como mucho, con 48 niveles de anidamiento como "
                                "mucho y textos de 256 caracteres como mucho)",
    "keras.rebuild.class": "nombra {name}, que no está entre las capas, inicializadores, "
                           "optimizadores y pérdidas nativos de Keras que el corrector reconstruye "
                           "(las capas Lambda, las clases propias y los modelos en subclase no se "
                           "pueden reconstruir con seguridad: usa keras.Sequential o "
                           "keras.Model(inputs, outputs) con capas nativas)",
    "keras.rebuild.data": "lleva una lista de {count} números, lo que es un dato (pesos en un "
                          "inicializador, por ejemplo), no una arquitectura: los pesos parten de "
                          "los inicializadores",
    "keras.rebuild.params": "tiene {params:,d} parámetros, más que los {limit:,d} que el corrector "
                            "vuelve a entrenar",
    "keras.rebuild.shape": "transforma {got}, pero se esperaba {expected}",
    "keras.rebuild.loss": "está compilada con la pérdida {loss}, pero se esperaba "
                          "sparse_categorical_crossentropy (las etiquetas son enteros)",
    "keras.rebuild.not_compiled": "no está compilada con un optimizador",
    "keras.rebuild_failed": "{function}, {case}: volver a entrenar una copia nueva del modelo "
                            "(reconstruida a partir de model.to_json() y entrenada por el fit del "
                            "corrector) falló: {error_type}: {message}",
    "keras.history_no_model": "{function}({case}): el History devuelto no pertenece a ningún modelo "
                              "entrenado (model.fit no lo llenó): devuelve el History que "
                              "devuelve model.fit.",
    "keras.history_weights": "{function}({case}): los pesos del modelo al que pertenece el History "
                             "no muestran un entrenamiento con model.fit en las imágenes dadas: "
                             "entrena el modelo recibido con model.fit(x, y, ...) y devuelve el "
                             "History que devuelve.",
    "keras.trained_images": "{function}({case}): el modelo se entrenó con {got} de las {n} imágenes, "
                            "pero se esperaban {expected}: la última fracción "
                            "validation_split={split:g} se reserva para validación (pasa "
                            "validation_split a model.fit).",
    "keras.updates": "{function}({case}): el modelo se actualizó en {got} lotes, pero se esperaban "
                     "{expected} ({epochs} épocas de {steps} lotes): pasa epochs y batch_size a "
                     "model.fit.",
    "keras.history_mismatch": "{function}({case}): el History dice que el {what} de la última época "
                              "fue {got:.4g}, pero el modelo al que pertenece obtiene {expected:.4g} "
                              "en las imágenes reservadas para validación: devuelve el History que "
                              "devuelve model.fit, sin cambiarlo.",
})

# Tarea 04: los modelos entrenados entregados (issue 15) -------------------------------------
TEXTS.update({
    "keras.data.mnist": "MNIST",
    "keras.data.fashion": "Fashion-MNIST",
    "keras.file.missing": "{file} no está en la entrega (o no se leyó: las notas dicen por qué), "
                          "así que esta verificación recibe 0 (las demás conservan sus puntos). El "
                          "notebook lo guarda en la carpeta de la tarea con model.save(\"{file}\"): "
                          "entrégalo junto a keras_cnn.py.",
    "keras.file.accuracy": "{file}: el modelo acierta {accuracy:.2%} de las {n:,d} imágenes de "
                           "prueba de {data}. Puntaje completo desde {full:.1%}, ninguno en "
                           "{zero:.1%} o menos, proporcional entre ambos: {credit:.0%} de los "
                           "puntos de esta verificación. Entrena más (más épocas, una tasa de "
                           "aprendizaje que decae) o mejora el modelo.",
    "keras.file_refused": "{function}: el corrector no cargó este modelo, así que esta "
                          "verificación recibe 0: {reason}.",
    "keras.file.empty": "el archivo está vacío (0 bytes): guarda el modelo de nuevo con "
                        "model.save(\"{file}\")",
    "keras.file.hdf5": "es un archivo HDF5 (el formato antiguo de Keras, el que escribe "
                       "model.save(\"model.h5\")) renombrado a .keras: guarda el modelo con "
                       "model.save(\"{file}\"), que escribe el formato .keras (un archivo zip)",
    "keras.file.not_zip": "no es un archivo .keras (un zip como el que escribe model.save): guarda "
                          "el modelo con model.save(\"{file}\") y entrega ese archivo",
    "keras.file.damaged": "el archivo zip está truncado o dañado: guarda el modelo de nuevo con "
                          "model.save(\"{file}\") y entrega el archivo nuevo completo",
    "keras.file.unsafe": "el archivo zip contiene una entrada cuya ruta sale de su carpeta "
                         "({name}); model.save escribe solo config.json, metadata.json y "
                         "model.weights.h5",
    "keras.file.members": "el archivo zip contiene {got}, pero se esperaba exactamente {expected}, "
                          "como los escribe model.save(\"{file}\") (no una carpeta comprimida a "
                          "mano)",
    "keras.file.encrypted": "{member} está cifrado en el archivo zip: guarda el modelo con "
                            "model.save",
    "keras.file.method": "{member} está comprimido con un método distinto de deflate: guarda el "
                         "modelo con model.save",
    "keras.file.too_large": "{member} se expande a más de {limit:,d} bytes, mucho más de lo que "
                            "necesita un modelo del tamaño declarado",
    "keras.file.unreadable": "su configuración (config.json) no es una que escriba model.save "
                             "(JSON de a lo sumo 1 MB, con a lo sumo 48 niveles de anidamiento, "
                             "textos de a lo sumo 256 caracteres, tamaños dados como enteros "
                             "positivos)",
    "keras.file.class": "su configuración nombra {name}, que no está entre las capas e "
                        "inicializadores nativos de Keras que carga el corrector (una capa "
                        "Lambda, una clase propia o un modelo subclasificado podrían ejecutar "
                        "código): construye el modelo con keras.Sequential o keras.Model(inputs, "
                        "outputs) a partir de capas nativas",
    "keras.file.data": "su configuración trae una lista de {count} números, lo cual es un dato "
                       "(los pesos van en model.weights.h5), no una arquitectura",
    "keras.file.inputs": "el modelo tiene {count} entradas, pero se esperaba una: imágenes de "
                         "forma (28, 28, 1)",
    "keras.file.input": "el modelo recibe entradas de forma {got}, pero se esperaba {expected}: el "
                        "corrector le da las imágenes de prueba como en el notebook, float32 "
                        "(N, 28, 28, 1) en [0, 1]; empieza el modelo con "
                        "keras.Input(shape=(28, 28, 1))",
    "keras.file.output": "el modelo produce salidas de forma {got}, pero se esperaba {expected}: "
                         "un puntaje por clase",
    "keras.file.unbuilt": "su capa {layer} se guardó antes de construirse (no declara la forma de "
                          "su entrada): guarda el modelo después de entrenarlo",
    "keras.file.params": "tiene {params:,d} parámetros, más que los {limit:,d} que carga el "
                         "corrector",
    "keras.file.load_failed": "{file}: Keras no pudo cargar el modelo ni predecir con él "
                              "({error_type}: {message}), así que esta verificación recibe 0: "
                              "guarda de nuevo el modelo entrenado con model.save(\"{file}\") y "
                              "comprueba, como hace el notebook, que keras.saving.load_model lo "
                              "vuelve a cargar.",
    "keras.file.too_slow": "{file}: cargar el modelo y predecir las {n:,d} imágenes de prueba tomó "
                           "más de {timeout:g} s en la CPU del corrector (una CNN del tamaño de "
                           "las del curso tarda segundos), así que esta verificación recibe 0.",
    "keras.file.no_data": "{function}: el corrector no tiene aquí el conjunto de prueba de {data} "
                          "({error}), así que no pudo evaluar este archivo: avisa a tu profesor "
                          "(la instalación del corrector lo necesita; tu archivo no es el "
                          "problema).",
})

# nbgrader courses (autograder/nbgrader) ---------------------------------------------------
TEXTS.update({
    "nbgrader.cell_score": "{group}: {score} / {points}, calificada a partir de {files} tal como lo "
                           "entregaste, fuera de este notebook.",
    "nbgrader.all_passed.one": "Su verificación pasa.",
    "nbgrader.all_passed.other": "Sus {count} verificaciones pasan.",
    "nbgrader.not_graded": "Sin calificar ({reason}), así que esta celda vale 0. Avisa a tu profesor.",
    "nbgrader.no_grading_step": "el paso de calificación de cnn-autograder no se ejecutó para este "
                                "notebook (falta autograder.nbgrader.trusted.GradeModules en "
                                "nbgrader_config.py)",
    "nbgrader.notes_title": "**cnn-autograder.** Tus puntos vienen de tus archivos tal como los "
                            "entregaste ({files}), calificados fuera de este notebook con entradas "
                            "propias del corrector: lo que el notebook imprime o cambia no cuenta. "
                            "Cada celda de prueba de abajo muestra los puntos de una función y qué "
                            "corregir.",
    "nbgrader.notes_intro": "Sobre tu notebook:",
    "nbgrader.cell_missing": "Faltaba la celda de prueba de {group}: se volvió a poner al final del "
                             "notebook. Sus puntos vienen igualmente de tu archivo; no borres celdas "
                             "de prueba.",
    "nbgrader.cell_duplicated": "La celda de prueba de {group} aparecía {count} veces en el notebook: "
                                "solo la primera es una celda de prueba, las copias se ejecutaron "
                                "como celdas normales.",
    "nbgrader.cell_changed": "La celda de prueba de {group} había sido editada: se restauró la "
                             "original (las celdas de prueba están bloqueadas).",
    "nbgrader.notebook_unreadable": "Tu notebook no se pudo leer antes de calificar ({reason}).",
    "nbgrader.kernel_died": "El kernel murió al ejecutar la celda de código {cell} (`{excerpt}`): lo "
                            "terminaron, falló o se quedó sin memoria. Las celdas siguientes no se "
                            "ejecutaron.",
    "nbgrader.cell_timeout": "La celda de código {cell} (`{excerpt}`) se ejecutó durante más de "
                             "{limit:g} s, así que el notebook se detuvo ahí y las celdas siguientes "
                             "no se ejecutaron. Busca un bucle que nunca termina, o uno demasiado "
                             "lento.",
    "nbgrader.notebook_timeout": "El notebook se ejecutó durante más de {limit:g} s en total, así que "
                                 "se detuvo en la celda de código {cell} (`{excerpt}`).",
    "nbgrader.output_cut": "La celda de código {cell} (`{excerpt}`) imprimió o mostró más de "
                           "{limit:g} kB (o el notebook superó su total): se descartó el resto de "
                           "su salida.",
    "nbgrader.not_run": "Tu notebook no se pudo ejecutar ({reason}).",
})
