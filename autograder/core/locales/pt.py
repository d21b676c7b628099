"""Brazilian Portuguese texts of the student-facing catalogue: one per key of ``CATALOG["en"]``.

Same ``str.format`` fields and format specs as the English templates. Vocabulary: camada,
filtro, função, passo (stride), preenchimento (padding), viés (bias), lote (batch), perda
(loss), propagação direta (forward), retropropagação (backward); an optimizer's "step" is an
"atualização"/"iteração", so that "passo" always means the stride. Imports nothing.
"""

TEXTS: dict[str, str] = {
    # calling student code -------------------------------------------------------------
    "call.exception": "{function}({case}) lançou {error_type}: {message}{where}",
    "call.not_implemented": "{function} ainda não foi implementada (ela lança "
                            "NotImplementedError).",
    "call.timeout": "{function}({case}) não terminou em {timeout:g} s. Procure um laço que nunca "
                    "termina, ou um laço sobre cada pixel que é lento demais (vetorize-o).",
    "call.crash": "{function}({case}): {message}. Seu código foi reiniciado para as demais "
                  "verificações.",
    "call.protocol": "{function}({case}) retornou algo que o corretor não conseguiu ler "
                     "({message}).",
    "call.unencodable": "{function}({case}) retornou um valor que não pôde ser lido ({message}).",
    "call.forget": "{function}: quando o corretor descartou os valores guardados por esta "
                   "verificação (os caches), seu código se comportou mal ({kind}: {message}). "
                   "Procure um __del__, um gerador ou uma thread no que a função retorna.",
    "call.missing": "{module}.py não define nenhuma função {function}: mantenha o nome e a "
                    "assinatura do esqueleto (stub).",
    "import.failed": "{module}.py não pôde ser importado ({error_type}: {message}){where}. Todas as "
                     "funções de {module}.py recebem 0 até que o arquivo possa ser importado.",
    "import.timeout": "importar {module}.py levou mais de {timeout:g} s (o código no nível superior "
                      "do arquivo é executado na importação: mova-o para dentro de uma função).",
    "import.banned": "{module}.py importa {names}: nas tarefas 01-03 só são permitidos o numpy e a "
                     "biblioteca padrão, então todas as funções de {module}.py recebem 0. Remova a "
                     "importação.",
    "file.missing": "{file} não está na entrega, então suas funções recebem 0. Envie o arquivo com "
                    "exatamente este nome (encontrados: {found}).",
    "batch.unreadable": "{reason} Nada desta entrega pôde ser corrigido, então todas as verificações "
                        "recebem 0: envie-a de novo como descrito.",
    # validating values ------------------------------------------------------------------
    "value.type": "{function}, {case}: {name} é do tipo {got_type}, mas deveria ser do tipo "
                  "{expected_type}.",
    "value.dtype_kind": "{function}, {case}: {name} tem dtype {dtype}; esperava-se um array de "
                        "ponto flutuante (float).",
    "value.shape": "{function}, {case}: {name} tem forma (shape) {got}, mas deveria ter "
                   "{expected}.",
    "value.dtype": "{function}, {case}: {name} tem dtype {got}, mas deveria ter {expected} (o dtype "
                   "deve acompanhar o da entrada: entra float32, sai float32).",
    "value.nonfinite": "{function}, {case}: {name}{index} vale {got:.6g} ({count} valores não "
                       "finitos), mas deveria valer {expected:.6g}. NaN e inf vêm de estouro "
                       "(overflow: exp de um número grande), de log(0) ou de 0/0.",
    "value.mismatch": "{function}, {case}: {name}{index} vale {got:.6g}, mas deveria valer "
                      "{expected:.6g} (erro relativo máximo {err:.1e}; {bad} de {size} valores "
                      "diferem).",
    "value.scalar_type": "{function}, {case}: {name} é do tipo {got_type}, mas deveria ser um número "
                         "(um float do Python ou um valor numpy de dimensão 0).",
    "value.structure": "{function}, {case}: retornou {got}, mas deveria retornar {expected}.",
    "value.wrong": "{function}, {case}: retornou {got!r}, mas deveria retornar {expected!r}.",
    # {verb} (English "is"/"are", passed by the checks) is left out on purpose: it cannot be
    # used in a Portuguese sentence. The sentence below reads right for one name or several.
    "value.also_right": " Não há erro em {right}, então examine como {name} é calculado.",
    # properties ---------------------------------------------------------------------------
    "property.mutation": "{function}({case}) modificou seu argumento {args}: calcule arrays novos "
                         "(x = x + 1, np.pad, .copy()) em vez de escrever nas entradas.",
    "property.gated": "ainda não conquistado: isto só conta junto com valores corretos de "
                      "{function} (falhou: {failed}).",
    "error.not_raised": "{function}({case}) deveria lançar ValueError ({why}), mas retornou "
                        "normalmente.",
    "error.wrong_type": "{function}({case}) lançou {error_type} ({message}); esperava-se ValueError "
                        "({why}). Valide os argumentos e lance ValueError com uma mensagem.",
    "error.no_name": "{function}({case}) lançou ValueError({message!r}); a mensagem deveria citar "
                     "o argumento ({names}).",
    # optimizers -------------------------------------------------------------------------
    "optim.config_type": "{function} retornou uma config do tipo {got}; retorne o dicionário config "
                         "(hiperparâmetros e estado) como segundo item.",
    "optim.state_missing": "{function}: a config retornada não tem {key!r} (ela tem: {keys}); guarde "
                           "o estado do otimizador sob os nomes de chave do contrato (docs/contract.md §5).",
    "optim.t": "{function}: config['t'] vale {got} após {steps} iterações, mas deveria valer "
               "{expected}. Incremente t antes de usá-lo na correção de viés (bias), e guarde-o.",
    # the training task ------------------------------------------------------------------
    "train.bad_value": "durante o treinamento, {function} retornou algo diferente de {what}.",
    "train.diverged": "durante o treinamento, {function} retornou pesos NaN ou inf: o treinamento "
                      "divergiu.",
    "train.below": "seu {optimizer} treinou a CNN até {accuracy:.1%} de acurácia em {n} imagens de "
                   "teste do MNIST após {steps} iterações; é preciso pelo menos {threshold:.0%}. Seu "
                   "otimizador passa nas verificações de uma única atualização, então observe o que "
                   "muda ao longo de muitas iterações (o estado que ele guarda).",
    # dropout and initialisers -----------------------------------------------------------
    "dropout.scale": "dropout_forward, {case}: out{index} vale {got:.6g} onde x vale {x:.6g}; um "
                     "elemento mantido deve valer x / (1 - rate) = {expected:.6g} e um descartado, "
                     "exatamente 0 (o dropout invertido faz a escala durante o treinamento).",
    "dropout.fraction": "dropout_forward, {case}: uma fração {kept:.3f} dos elementos é mantida, mas "
                        "deveria ser 1 - rate = {expected:.3f} (rate é a probabilidade de descartar).",
    "dropout.not_deterministic": "dropout_forward deu duas saídas diferentes para a mesma semente do "
                                 "rng: sorteie a máscara a partir do argumento rng "
                                 "(rng.random(x.shape)), nunca de np.random.",
    "dropout.ignores_rng": "dropout_forward deu a mesma máscara para duas sementes diferentes do rng: "
                           "sorteie a máscara a partir do argumento rng.",
    "init.mean": "{function}, {case}: a média amostral é {got:.4g}; esperava-se cerca de 0 (desvio "
                 "padrão {std:.4g}).",
    "init.std": "{function}, {case}: o desvio padrão amostral é {got:.4g}, mas deveria ser "
                "{expected:.4g} (fan_in = {fan_in}, fan_out = {fan_out}, contados como no Keras).",
    "init.not_deterministic": "{function} deu pesos diferentes para a mesma semente do rng: sorteie "
                              "somente a partir do argumento rng.",
    "init.ignores_rng": "{function} deu os mesmos pesos para duas sementes diferentes do rng: sorteie "
                        "a partir do argumento rng.",
    # the quiz ---------------------------------------------------------------------------
    "quiz.no_id": "quiz_answers.py: STUDENT_ID vale {got}; defina-o como o seu número de matrícula, "
                  "como string, para que o corretor possa gerar de novo as suas perguntas.",
    "quiz.other_id": "quiz_answers.py: STUDENT_ID vale {got!r}, mas esta entrega é de {expected!r}: "
                     "o quiz é corrigido com as suas próprias perguntas, então defina STUDENT_ID como "
                     "{expected!r} e responda às perguntas que ele gera.",
    "quiz.no_answers": "quiz_answers.py: ANSWERS é do tipo {got}; deve ser um dict como {{'q1': "
                       "42}}.",
    "quiz.unanswered": "{qid} ainda não foi respondida: {text}",
    "quiz.unreadable": "{qid}: a resposta {got} não pode ser lida como {kind} (um int, True/False, ou "
                       "uma tupla (altura, largura, profundidade) para um volume).",
    "quiz.wrong": "{qid} ({topic}): {got} não está certo. A pergunta era: {text} {formula}",
    "picture": "(Uma imagem da diferença: {path}.)",
    # gradient checks ----------------------------------------------------------------------
    "gradcheck.note": " Um gradiente numérico da sua própria propagação direta (forward) concorda "
                      "com o {name} esperado, então a propagação direta é consistente e o erro está "
                      "na retropropagação (backward).",
    "gradcheck.own": " O seu {name} coincide com um gradiente numérico da sua própria propagação "
                     "direta (forward), então provavelmente a própria propagação direta também está "
                     "errada.",
    # hints: convolution.py --------------------------------------------------------------
    "hint.correlate_flipped":
        "Sua saída é uma convolução verdadeira (kernel invertido): correlate2d não deve inverter o "
        "kernel; só convolve2d faz isso.",
    "hint.convolve_not_flipped":
        "Sua saída é uma correlação: convolve2d primeiro gira o kernel em 180 graus "
        "(kernel[::-1, ::-1]).",
    "hint.convolve_one_axis":
        "Seu kernel está invertido em um eixo só: uma rotação de 180 graus inverte os dois.",
    "hint.template_not_divided":
        "Seu mapa não está dividido pelo número de pixels do modelo (template.size).",
    "hint.ceil_zero_padding":
        "Suas janelas parciais da borda contam os zeros do preenchimento (padding): uma janela "
        "parcial toma o máximo apenas dos pixels que ela contém (preencha com -inf, ou use "
        "fatiamento).",
    "hint.ceil_ignored":
        "Sua saída ignora ceil_mode=True: as janelas parciais da borda devem contar.",
    "hint.relu_float64":
        "Seus valores estão certos, mas em float64: algo em relu é float64 (uma máscara feita com "
        ".astype(float), np.zeros(x.shape), um array float64) e promove um x float32. "
        "np.maximum(x, 0) ou np.where(x > 0, x, 0) mantêm o dtype de x.",
    # hints: layers.py -------------------------------------------------------------------
    "hint.zero_pad.all_axes":
        "Seu resultado também tem preenchimento (padding) ao longo de N e C: preencher todos os "
        "eixos com a mesma largura é o que acontece quando não se dá uma largura por eixo. Só H e "
        "W (eixos 1 e 2) recebem zeros.",
    "hint.conv_forward.flipped":
        "Sua saída é igual a uma convolução verdadeira, com o filtro girado em 180 graus. As "
        "camadas de uma CNN calculam uma correlação cruzada: cada janela é multiplicada por w tal "
        "como ele é.",
    "hint.conv_forward.no_bias":
        "Sua saída é igual à da camada sem o viés (bias): cada pixel de saída do filtro f também "
        "recebe b[f].",
    "hint.conv_forward.stride_ignored":
        "Sua saída é a que o passo (stride) 1 produz: o pixel de saída (i, j) olha para a janela "
        "que começa na linha i*stride e na coluna j*stride da entrada preenchida, e o tamanho da "
        "saída é dividido pelo passo.",
    "hint.conv_forward.pad_ignored":
        "Sua saída é a que pad=0 produz: a entrada deve ser preenchida com zeros antes de o filtro "
        "deslizar sobre ela, e o tamanho da saída leva o preenchimento (padding) em conta.",
    "hint.conv_forward.pad_one_side":
        "Sua saída corresponde a uma entrada com todas as 2*pad linhas (e colunas) de zeros de um "
        "lado só. O preenchimento (padding) é por lado: pad linhas em cima e pad linhas embaixo, e "
        "o mesmo à esquerda e à direita.",
    "hint.conv_backward.stride_ignored":
        "Seus gradientes são os que janelas começando em (i, j) em vez de (i*stride, j*stride) "
        "produzem: na retropropagação (backward), dout[n, i, j, f] pertence à mesma janela da "
        "entrada preenchida que na propagação direta (forward).",
    "hint.conv_backward.dx_minus_pad":
        "Seu dx está vazio porque a fatia que remove o preenchimento (padding) não seleciona nada "
        "quando pad = 0: ali, um índice final negativo -pad vale 0. Calcule o fim da fatia a partir "
        "de H e W.",
    "hint.conv_backward.dx_not_cropped":
        "Seu dx tem a forma (shape) da entrada preenchida: o gradiente do preenchimento com zeros "
        "é descartado, e dx fica só com as H x W linhas e colunas que vieram de x.",
    "hint.conv_backward.dx_assigned":
        "Seu dx perde as contribuições de janelas sobrepostas: onde janelas (ou filtros) "
        "compartilham pixels de entrada, o gradiente de cada uma deve ser somado a dx (+=), não "
        "atribuído (=).",
    "hint.conv_backward.db_mean":
        "Seu db é uma média; o viés (bias) é somado a cada pixel de saída de cada exemplo, então o "
        "gradiente dele é a soma de dout sobre N, H_out e W_out.",
    "hint.conv_backward.dw_last_example":
        "Seu dw contém só a contribuição do último exemplo: os filtros são compartilhados por todo "
        "o lote (batch), então dw acumula sobre todos os N exemplos (inicialize-o com zero uma "
        "vez, antes do laço).",
    "hint.max_pool_forward.stride_default":
        "Sua saída é a que o passo (stride) 1 produz: stride=None significa que o passo é igual ao "
        "tamanho do pooling (janelas sem sobreposição), como no Keras.",
    "hint.max_pool_backward.ties_all":
        "Seu dx dá o gradiente a todo elemento igual ao máximo da sua janela. Quando vários "
        "empatam, só o primeiro na ordem por linhas (row-major), o que np.argmax escolhe, o recebe.",
    "hint.max_pool_backward.ties_last":
        "Seu dx dá o gradiente de uma janela com empate ao seu último elemento máximo; a convenção "
        "é o primeiro na ordem por linhas (row-major), o que np.argmax escolhe.",
    "hint.max_pool_backward.assigned":
        "Janelas sobrepostas (passo (stride) menor que o tamanho do pooling) podem compartilhar "
        "elementos e até o seu máximo: os gradientes delas devem se somar em dx (+=); atribuir (=) "
        "mantém só o da última janela.",
    "hint.max_pool_backward.whole_window":
        "Seu dx dá dout a todos os elementos da janela. Só o elemento máximo influenciou a saída do "
        "max pooling, então só ele recebe o gradiente; os outros recebem 0.",
    "hint.avg_pool_forward.sum":
        "Sua saída é a soma de cada janela; o average pooling divide essa soma pelo número de "
        "elementos, ph * pw.",
    "hint.avg_pool_forward.stride_default":
        "Sua saída é a que o passo (stride) 1 produz: stride=None significa que o passo é igual ao "
        "tamanho do pooling (janelas sem sobreposição), como no Keras.",
    "hint.avg_pool_backward.not_divided":
        "Seu dx está ph * pw vezes grande demais: cada elemento contribui com 1/(ph * pw) da média "
        "da sua janela, então recebe essa fração de dout.",
    "hint.avg_pool_backward.assigned":
        "Janelas sobrepostas (passo (stride) menor que o tamanho do pooling) compartilham "
        "elementos: a fração do gradiente de cada janela deve ser somada a dx (+=); atribuir (=) "
        "mantém só a da última.",
    "hint.relu_backward.ge_zero":
        "Seu dx também deixa o gradiente passar onde x == 0. A convenção do curso é relu'(0) = 0: "
        "o gradiente só flui onde x > 0.",
    "hint.affine_backward.dx_flat":
        "Seu dx tem a forma achatada (N, D); ele deve ter a forma do x original (N, d1, ..., dk), "
        "que a propagação direta (forward) pode guardar no seu cache.",
    "hint.affine_backward.db_mean":
        "Seu db é a média sobre o lote (batch); b é somado à saída de cada exemplo, então db é a "
        "soma de dout sobre as N linhas.",
    "hint.softmax.no_shift":
        "exp estoura para inf com scores acima de ~709 (float64), e inf / inf é NaN. O softmax não "
        "muda quando se subtrai uma constante de uma linha inteira, então desloque cada linha pelo "
        "seu máximo antes do exp.",
    "hint.softmax.wrong_axis":
        "As suas colunas somam 1, e não as suas linhas: cada linha de scores é um exemplo, então o "
        "máximo, a soma dos exp e a divisão são todos feitos ao longo do eixo 1, por linha.",
    "hint.softmax_cross_entropy.loss_sum":
        "Sua perda (loss) é a soma sobre o lote (batch); ela deve ser a média sobre os N exemplos.",
    "hint.softmax_cross_entropy.dscores_not_divided":
        "Seu dscores está N vezes grande demais: a perda (loss) é uma média sobre N exemplos, então "
        "o gradiente dela, probs - onehot(y), também é dividido por N.",
    "hint.softmax_cross_entropy.no_shift":
        "exp estoura com scores grandes, e as probabilidades viram inf/inf = NaN. Primeiro desloque "
        "cada linha pelo seu máximo, e tire o log das probabilidades a partir dos scores deslocados "
        "(log-sum-exp), e não o log de uma probabilidade que pode ser arredondada para 0.",
    "hint.softmax_cross_entropy.log_of_probs":
        "Sua perda (loss) é inf embora o deslocamento esteja certo: a probabilidade de um rótulo "
        "cujo score está muito abaixo do máximo da linha é arredondada para 0, e log(0) = -inf. "
        "Calcule as log-probabilidades diretamente, shifted - log(sum(exp(shifted))) "
        "(log-sum-exp), em vez de log(softmax).",
    # hints: optim.py --------------------------------------------------------------------
    "hint.sgd_ascent": "Sua atualização sobe pelo gradiente: o SGD subtrai learning_rate * dw.",
    "hint.momentum_no_velocity":
        "Sua atualização é igual à do SGD simples: a velocidade deve passar de uma atualização "
        "para a seguinte em config['velocity'] (v = momentum * v + learning_rate * dw).",
    "hint.velocity_sign":
        "Sua atualização trata a velocidade recebida com o sinal oposto (v = momentum * v - "
        "learning_rate * dw; w + v, a convenção do CS231n). O curso guarda v = momentum * v + "
        "learning_rate * dw e atualiza com w - v: a mesma trajetória partindo de zero, mas não "
        "partindo de um estado salvo.",
    "hint.nesterov_plain_momentum":
        "Sua atualização é igual à do momentum clássico (w - v_new). Com w como ponto antecipado "
        "(look-ahead), a atualização do contrato (docs/contract.md §5) é "
        "w + momentum * v - (1 + momentum) * v_new.",
    "hint.adagrad_eps_outside":
        "Sua atualização põe epsilon fora da raiz quadrada, g / (sqrt(G) + eps); o AdaGrad do "
        "curso divide por sqrt(G + eps).",
    "hint.rmsprop_eps_outside":
        "Sua atualização põe epsilon fora da raiz quadrada; o RMSprop do curso divide por "
        "sqrt(E + eps).",
    "hint.rmsprop_swapped_decay":
        "Sua média móvel pondera o novo g**2 por decay_rate e a média antiga por (1 - decay_rate): "
        "é o contrário.",
    "hint.adadelta_no_lr":
        "Sua atualização ignora learning_rate: o AdaDelta do contrato (docs/contract.md §5) aplica "
        "w + learning_rate * delta.",
    "hint.adadelta_delta_after":
        "Sua atualização usa E[delta^2] depois de atualizá-lo com o delta desta iteração; calcule "
        "delta a partir do E[delta^2] anterior e só então atualize-o.",
    "hint.adam_eps_inside":
        "Sua atualização põe epsilon dentro da raiz quadrada, sqrt(v_hat + eps); o Adam do curso "
        "divide por sqrt(v_hat) + eps. (Com o eps padrão = 1e-8 os dois parecem iguais; com um eps "
        "maior, não.)",
    "hint.adam_no_bias_correction":
        "Sua atualização usa m e v sem a correção de viés (bias) m / (1 - beta1**t), "
        "v / (1 - beta2**t).",
    "hint.adam_t_after":
        "Sua correção de viés (bias) usa t antes de incrementá-lo: t deve ser incrementado "
        "primeiro, para que a primeira atualização use t = 1.",
    # hints: regularization.py -----------------------------------------------------------
    "hint.l2_no_two":
        "Seu dw é lam/n * w: a derivada de w**2 é 2w, então dw = 2 * lam/n * w.",
    "hint.l2_half":
        "Você usou a convenção 1/2 * lam * sum(w**2); a L2 dos slides não tem o 1/2 (penalidade "
        "lam/n * sum(w**2), dw = 2 * lam/n * w).",
    "hint.l2_ignores_n":
        "Sua penalidade ignora n: os slides dividem lam pelo número de exemplos n.",
    "hint.l1_sign_zero": "Seu dw não é 0 onde w == 0: use np.sign, cujo sign(0) é 0.",
    "hint.l1_ignores_n":
        "Sua penalidade ignora n: os slides dividem lam pelo número de exemplos n.",
    "hint.enet_swapped":
        "Sua mistura está trocada: l1_ratio pondera a parte L1 e 1 - l1_ratio, a parte L2.",
    "hint.dropout_keep_rate":
        "Você mantém os elementos com probabilidade rate: rate é a probabilidade de DESCARTAR um "
        "elemento (Dropout(rate) do Keras), então mantenha cada um com probabilidade 1 - rate.",
}

# Tarefa 04 (Keras) --------------------------------------------------------------------------
TEXTS.update({
    "import.banned_keras": "{module}.py importa {names}: na tarefa 04 use o Keras (sobre o TensorFlow), "
                           "o numpy e a biblioteca padrão, então todas as funções de {module}.py "
                           "recebem 0. Remova a importação.",
    "keras.probe_failed": "{function}({case}): ao {action}, o modelo lançou {error_type}: "
                          "{message}",
    "keras.not_model": "{function}({case}) retornou um {got}, mas deveria retornar um keras.Model "
                       "(construa-o com keras.Sequential ou keras.Model e retorne-o).",
    "keras.input_shape": "{function}({case}): o modelo recebe imagens de formato {got}, mas o "
                         "esperado é {expected}: comece com keras.Input(shape=input_shape).",
    "keras.output_shape": "{function}({case}): o modelo produz formato {got} por imagem, mas o "
                          "esperado é {expected}: termine com Dense(num_classes, activation=\"softmax\").",
    "keras.layers": "{function}({case}): o modelo tem {count} camadas, {got}; o esperado são "
                    "{expected_count}: {expected}.",
    "keras.layer": "{function}({case}): a camada {index} ({layer}) tem {what} {got}, mas o esperado é "
                   "{expected}. Calcule o formato de saída de cada camada (H_out = H - HH + 1 numa "
                   "convolução 5x5 válida, H / 2 num pooling 2x2) e seus parâmetros (HH * WW * C * F "
                   "+ F numa convolução, entradas * unidades + unidades numa camada Dense).",
    "keras.initializer": "{function}({case}): a camada {index} ({layer}) começa com pesos {got}, mas "
                         "o esperado é he_normal: passe kernel_initializer=\"he_normal\" (a "
                         "inicialização de He mantém a escala das ativações ReLU ao longo das camadas).",
    "keras.not_compiled": "{function}({case}) retornou um modelo não compilado: chame "
                          "model.compile(...) (compile_classifier faz isso) antes de retorná-lo.",
    "keras.no_metrics": "{function}({case}): o modelo não informa a acurácia (suas métricas: {got}); "
                        "compile-o com metrics=[\"accuracy\"].",
    "keras.loss": "{function}({case}): com rótulos inteiros a perda do modelo é {got}, mas a "
                  "entropia cruzada das suas próprias previsões é {expected}. Compile com "
                  "loss=\"sparse_categorical_crossentropy\" (os rótulos são inteiros de 0 a 9, não "
                  "one-hot) e from_logits=False, pois a última camada já aplica softmax.",
    "keras.accuracy_metric": "{function}({case}): a métrica de acurácia do modelo é {got}, mas suas "
                             "previsões acertam {expected} das imagens: use metrics=[\"accuracy\"] "
                             "com rótulos inteiros.",
    "keras.no_conv": "{function}({case}): o modelo não tem nenhuma camada Conv2D; esta tarefa pede "
                     "uma rede convolucional.",
    "keras.not_probabilities": "{function}({case}): as saídas em {n} imagens não são probabilidades "
                               "(a linha {row} soma {got:.4g}): a ativação da última camada deve ser "
                               "softmax.",
    "keras.budget": "{function}({case}): o modelo tem {got:,d} parâmetros, mais do que o limite de "
                    "{budget:,d}. Uma camada de pooling antes do Flatten, menos filtros ou uma camada "
                    "Dense menor os reduzem (a Dense depois do Flatten costuma concentrar a maioria).",
    "keras.too_slow": "{function}, {case}: treinar o modelo levou mais de {timeout:g} s na CPU do "
                      "corretor. Diminua-o (menos filtros, pooling mais cedo).",
    "keras.not_learning": "{function}, {case}: depois do treino, o modelo acerta {accuracy:.1%} de {n} "
                          "imagens de teste; o esperado é pelo menos {threshold:.0%}. Verifique se o "
                          "modelo treinado é o que você recebeu (não uma cópia), a taxa de "
                          "aprendizado e o número de épocas.",
    "keras.not_history": "{function}({case}) retornou um {got}, mas deveria retornar o "
                         "keras.callbacks.History que model.fit retorna.",
    "keras.history_keys": "{function}({case}): o histórico tem {got} mas não tem {missing}: treine "
                          "com validation_split=validation_split um modelo compilado com "
                          "metrics=[\"accuracy\"].",
    "keras.epochs": "{function}({case}): o modelo foi treinado por {got} épocas, mas o esperado é "
                    "{expected}: passe epochs=epochs para model.fit.",
    "keras.steps": "{function}({case}): cada época teve {got} iterações, mas o esperado é {expected} "
                   "({n} exemplos de treino depois de separar validation_split={split:g}, em lotes "
                   "de {batch_size}): passe batch_size e validation_split para model.fit.",
    "keras.head": "{function}({case}): a última camada é {got}, mas o esperado é uma nova "
                  "Dense(num_classes, activation=\"softmax\").",
    "keras.trainable_params": "{function}({case}): {got:,d} pesos são treináveis, mas o esperado é "
                              "{expected:,d} (os do novo classificador, depois do Flatten): com "
                              "freeze=True defina trainable = False em cada camada de "
                              "características reaproveitada e depois compile.",
    "keras.trainable_params_unfrozen": "{function}({case}): {got:,d} pesos são treináveis, mas o "
                                       "esperado é {expected:,d} (todos): com freeze=False todas "
                                       "as camadas continuam treináveis.",
    "keras.transfer_features": "{function}({case}): as probabilidades do novo modelo não são o seu "
                               "classificador aplicado às características da base: depois de "
                               "feature_layers(base), acrescente só as novas camadas Dense e "
                               "Dropout.",
    "keras.trainable": "{function}({case}): a camada {index} ({layer}) tem trainable={got}, mas o "
                       "esperado é {expected}. Das convoluções das camadas de características, as "
                       "{n} do topo ficam treináveis e as de baixo continuam congeladas; o "
                       "classificador depois do Flatten continua treinável.",
    "keras.learning_rate": "{function}({case}): o modelo está compilado com taxa de aprendizado "
                           "{got:g}, mas o esperado é {expected:g}: recompile com "
                           "keras.optimizers.Adam(learning_rate).",
    "keras.action.model_table": "ler as camadas do modelo",
    "keras.action.predict": "fazer previsões com o modelo",
    "keras.action.evaluate": "avaliar o modelo com rótulos inteiros",
    "keras.action.history": "ler o histórico",
    "keras.action.fit": "treinar o modelo",
    "keras.action.make_model": "construir um modelo de teste",
    "keras.action.layer_weights": "ler os pesos",
    "keras.action.set_seed": "fixar a semente",
    "keras.transfer_reuse": "{function}({case}): o novo modelo não começa com as camadas de "
                            "características da base e seus pesos treinados: reaproveite as "
                            "próprias camadas de feature_layers(base) (todas até o Flatten, "
                            "inclusive), não cópias novas ou reinicializadas.",
    "keras.what.output_shape": "formato de saída",
    "keras.what.params": "número de parâmetros",
    "keras.what.activation": "ativação",
    "keras.what.rate": "taxa de dropout",
    "keras.integer_labels": "{function}({case}): avaliar o modelo com rótulos inteiros (0..9) "
                            "lançou {error_type}: {message}. Compile-o com "
                            "loss=\"sparse_categorical_crossentropy\": categorical_crossentropy "
                            "espera rótulos one-hot.",
    "keras.features_hint": " As características são as saídas das camadas de características (até o "
                           "Flatten, inclusive) em modo de inferência (dropout desligado): "
                           "model.predict, ou training=False.",
})

# O questionário da tarefa 01 ----------------------------------------------------------------
TEXTS.update({
    "quiz.topic.q1": "volume de saída da convolução",
    "quiz.topic.q2": "o filtro cabe?",
    "quiz.topic.q3": "preenchimento que mantém o tamanho",
    "quiz.topic.q4": "parâmetros da convolução",
    "quiz.topic.q5": "parâmetros da camada densa",
    "quiz.topic.q6": "saída do pooling",
    "quiz.topic.q7": "campo receptivo",
    "quiz.topic.q8": "densa vs convolucional",
    "quiz.topic.q9": "densa vs convolucional",
    "quiz.topic.q10": "a cadeia da AlexNet",
    "quiz.text.q1": "Um volume de entrada {n}x{n}x{c} passa por uma camada convolucional de {k} filtros "
                    "{f}x{f}, passo {s}, preenchimento {p}. Qual é o volume de saída (altura, largura, "
                    "profundidade)?",
    "quiz.text.q2": "Um filtro {f}x{f} desliza sobre uma entrada {n}x{n} com passo {s} e sem "
                    "preenchimento. Ele cobre a entrada exatamente (True/False)?",
    "quiz.text.q3": "Que preenchimento mantém o tamanho espacial para um filtro {f}x{f} com passo "
                    "1?",
    "quiz.text.q4": "Quantos parâmetros treináveis (pesos e vieses) tem uma camada convolucional de {k} "
                    "filtros {f}x{f} sobre uma entrada de profundidade {c}?",
    "quiz.text.q5": "Quantos parâmetros treináveis tem uma camada densa de {n_in} entradas para {n_out} "
                    "saídas (pesos e vieses)?",
    "quiz.text.q6": "Um max pooling {size}x{size} com passo {s} (sem preenchimento, as linhas que sobram "
                    "são descartadas) é aplicado a um mapa {n}x{n}. Qual é a largura da saída?",
    "quiz.text.q7": "Uma pilha de camadas, a mais próxima da entrada primeiro: {f1}x{f1} passo {s1}, "
                    "depois {f2}x{f2} passo {s2}, depois {f3}x{f3} passo {s3}. Quantos pixels da entrada "
                    "tem de largura o campo receptivo de uma unidade de saída?",
    "quiz.text.q8": "Uma imagem RGB {side}x{side} é totalmente conectada a {hidden} unidades ocultas. "
                    "Quantos parâmetros treináveis tem essa camada?",
    "quiz.text.q9": "Em vez disso, uma camada convolucional de {k} filtros {f}x{f} é aplicada à mesma "
                    "imagem. Quantas vezes mais parâmetros tem a camada densa? Arredonde para o inteiro "
                    "mais próximo.",
    "quiz.text.q10": "Uma cadeia no estilo da AlexNet sobre uma imagem {n}x{n}x3: convolução 11x11 passo "
                     "4 (sem preenchimento), max pooling 3x3 passo 2, convolução 5x5 passo 1 "
                     "preenchimento 2, max pooling 3x3 passo 2. Qual é a largura espacial final?",
})

# Words of the reports
TEXTS.update({
    "report.function": 'função',
    "report.points": 'pontos',
    "report.checks": 'verificações',
    "report.checks_passed": 'verificações aprovadas',
    "report.passed": '{ok}/{n} aprovadas',
    "report.total": 'total',
    "report.what_to_fix": 'O que corrigir:',
    "report.more_checks.one": '{name} e mais {count} verificação',
    "report.more_checks.other": '{name} e mais {count} verificações',
    "report.points_n.one": '{points} ponto',
    "report.points_n.other": '{points} pontos',
    "report.failure": '[{names}] {message}',
    "report.all_public_pass": "Todas as verificações públicas passam.",
    "report.function_public_pass": "Todas as verificações públicas de {functions} passam.",
    "report.selected_public_pass.one": "A {count} verificação pública executada passa.",
    "report.selected_public_pass.other": "As {count} verificações públicas executadas passam.",
    "report.not_run_here.one": "Não executada aqui: {names}; a correção oficial a verifica com "
                               "casos ocultos.",
    "report.not_run_here.other": "Não executadas aqui: {names}; a correção oficial as verifica com "
                                 "casos ocultos.",
    "report.other_inputs": "A correção oficial também repete cada verificação com outras entradas, "
                           "então passar aqui é necessário, mas não suficiente: teste você também "
                           "os casos extremos.",
    "report.selfcheck": "SelfCheck({score} / {max_score} pontos públicos)",
    "pytest.summary": "verificações públicas de {assignment}: {score} / {points}",
    "pytest.summary_some": "verificações públicas de {assignment} executadas ({ran} de {total}): "
                           "{score} / {points}",
    "pytest.see_above": "<- veja os testes que falharam acima",
    "pytest.same_cause": "mesma causa",
    "pytest.also_failed.one": "{names} falha junto (mesma causa).",
    "pytest.also_failed.other": "{names} falham junto (mesma causa).",
    "pytest.same_as": "falha porque {cause} falha (veja acima).",
})

# The formula that answers each quiz question (quiz.wrong)
TEXTS.update({
    "quiz.formula.q1": "Altura e largura: H_out = (H + 2*pad - F) // stride + 1; a profundidade é o "
                       "número de filtros.",
    "quiz.formula.q2": "O filtro cobre a entrada exatamente quando (N - F) é múltiplo do passo: "
                       "(N - F) % stride == 0.",
    "quiz.formula.q3": "Com passo 1, pad = (F - 1) / 2 mantém o tamanho, pois N + 2*pad - F + 1 = N.",
    "quiz.formula.q4": "Cada filtro tem F*F*profundidade pesos e um viés: (F*F*profundidade + 1) * "
                       "filtros.",
    "quiz.formula.q5": "Um peso por par entrada-saída e um viés por saída: n_in*n_out + n_out.",
    "quiz.formula.q6": "O pooling segue a regra da convolução sem preenchimento: (N - size) // "
                       "stride + 1.",
    "quiz.formula.q7": "r = 1 + soma, sobre as camadas, de (f - 1) vezes o produto dos passos das "
                       "camadas anteriores.",
    "quiz.formula.q8": "Cada pixel de cada canal é uma entrada: side*side*3*hidden pesos, mais um "
                       "viés por unidade oculta.",
    "quiz.formula.q9": "Divida os parâmetros da camada densa (q8: side*side*3*hidden + hidden) pelos "
                       "da camada convolucional (f*f*3*k + k: os pesos de cada filtro são "
                       "compartilhados por todas as posições, mais um viés por filtro) e arredonde "
                       "para o inteiro mais próximo.",
    "quiz.formula.q10": "Aplique H_out = (H + 2*pad - F) // stride + 1 a cada camada, em ordem, "
                        "incluindo os poolings (sem preenchimento).",
})

# Assignment 04, judged where the student process cannot reach (issue 14 section 3)
TEXTS.update({
    "keras.action.model_config": "ler a configuração do modelo (model.to_json())",
    "keras.no_config": "{function}({case}): ao {action}, o modelo lançou {error_type}: {message}. "
                       "O avaliador treina de novo uma cópia nova do seu modelo, reconstruída a "
                       "partir dessa configuração: construa-o com as camadas nativas do Keras, em "
                       "keras.Sequential ou keras.Model(inputs, outputs).",
    "keras.rebuild_refused": "{function}, {case}: o avaliador treina de novo uma cópia nova do seu "
                             "modelo, reconstruída a partir da configuração (model.to_json()) em "
                             "um processo separado, e não a reconstruiu: {reason}.",
    "keras.rebuild.unreadable": "a configuração não é uma que o to_json() de um modelo produz (JSON "
                                "de no máximo 1 MB, com no máximo 48 níveis de aninhamento e "
                                "textos de no máximo 256 caracteres)",
    "keras.rebuild.class": "ela cita {name}, que não está entre as camadas, inicializadores, "
                           "otimizadores e perdas nativos do Keras que o avaliador reconstrói "
                           "(camadas Lambda, classes próprias e modelos em subclasse não podem ser "
                           "reconstruídos com segurança: use keras.Sequential ou "
                           "keras.Model(inputs, outputs) com camadas nativas)",
    "keras.rebuild.data": "ela traz uma lista de {count} números, o que é dado (pesos num "
                          "inicializador, por exemplo), não arquitetura: os pesos partem dos "
                          "inicializadores",
    "keras.rebuild.params": "ela tem {params:,d} parâmetros, mais que os {limit:,d} que o avaliador "
                            "treina de novo",
    "keras.rebuild.shape": "ela leva {got}, mas o esperado é {expected}",
    "keras.rebuild.loss": "ela é compilada com a perda {loss}, mas o esperado é "
                          "sparse_categorical_crossentropy (os rótulos são inteiros)",
    "keras.rebuild.not_compiled": "ela não é compilada com um otimizador",
    "keras.rebuild_failed": "{function}, {case}: treinar de novo uma cópia nova do modelo "
                            "(reconstruída a partir de model.to_json() e treinada pelo fit do "
                            "avaliador) falhou: {error_type}: {message}",
    "keras.history_no_model": "{function}({case}): o History retornado não pertence a nenhum modelo "
                              "treinado (model.fit não o preencheu): retorne o History que "
                              "model.fit retorna.",
    "keras.history_weights": "{function}({case}): os pesos do modelo a que o History pertence não "
                             "mostram um treino por model.fit nas imagens dadas: treine o modelo "
                             "recebido com model.fit(x, y, ...) e retorne o History que ele "
                             "retorna.",
    "keras.trained_images": "{function}({case}): o modelo foi treinado com {got} das {n} imagens, "
                            "mas o esperado é {expected}: a última fração validation_split={split:g} "
                            "fica reservada para validação (passe validation_split a model.fit).",
    "keras.updates": "{function}({case}): o modelo foi atualizado em {got} lotes, mas o esperado é "
                     "{expected} ({epochs} épocas de {steps} lotes): passe epochs e batch_size a "
                     "model.fit.",
    "keras.history_mismatch": "{function}({case}): o History diz que o {what} da última época foi "
                              "{got:.4g}, mas o modelo a que ele pertence obtém {expected:.4g} nas "
                              "imagens reservadas para validação: retorne o History que model.fit "
                              "retorna, sem alterá-lo.",
})

# Tarefa 04: os modelos treinados entregues (issue 15) ---------------------------------------
TEXTS.update({
    "keras.data.mnist": "MNIST",
    "keras.data.fashion": "Fashion-MNIST",
    "keras.file.missing": "{file} não está na entrega (ou não foi lido: as notas dizem por quê), "
                          "então esta verificação recebe 0 (as demais mantêm seus pontos). O "
                          "notebook o salva na pasta da tarefa com "
                          "model.save(\"{file}\"): entregue-o junto com keras_cnn.py.",
    "keras.file.accuracy": "{file}: o modelo acerta {accuracy:.2%} das {n:,d} imagens de teste do "
                           "{data}. Pontuação completa a partir de {full:.1%}, nenhuma em "
                           "{zero:.1%} ou menos, proporcional entre os dois: {credit:.0%} dos "
                           "pontos desta verificação. Treine mais (mais épocas, uma taxa de "
                           "aprendizado que decai) ou melhore o modelo.",
    "keras.file_refused": "{function}: o corretor não carregou este modelo, então esta verificação "
                          "recebe 0: {reason}.",
    "keras.file.empty": "o arquivo está vazio (0 bytes): salve o modelo de novo com "
                        "model.save(\"{file}\")",
    "keras.file.hdf5": "é um arquivo HDF5 (o formato antigo do Keras, que model.save(\"model.h5\") "
                       "escreve) renomeado para .keras: salve o modelo com model.save(\"{file}\"), "
                       "que escreve o formato .keras (um arquivo zip)",
    "keras.file.not_zip": "não é um arquivo .keras (um zip como o que model.save escreve): salve o "
                          "modelo com model.save(\"{file}\") e entregue esse arquivo",
    "keras.file.damaged": "o arquivo zip está truncado ou danificado: salve o modelo de novo com "
                          "model.save(\"{file}\") e entregue o novo arquivo inteiro",
    "keras.file.unsafe": "o arquivo zip contém uma entrada cujo caminho sai da sua pasta ({name}); "
                         "model.save escreve apenas config.json, metadata.json e model.weights.h5",
    "keras.file.members": "o arquivo zip contém {got}, mas o esperado é exatamente {expected}, como "
                          "model.save(\"{file}\") os escreve (não uma pasta compactada à mão)",
    "keras.file.encrypted": "{member} está criptografado no arquivo zip: salve o modelo com "
                            "model.save",
    "keras.file.method": "{member} está compactado com um método diferente de deflate: salve o "
                         "modelo com model.save",
    "keras.file.too_large": "{member} se expande para mais de {limit:,d} bytes, muito mais do que "
                            "um modelo do tamanho declarado precisa",
    "keras.file.unreadable": "a configuração (config.json) não é uma que model.save escreve (JSON "
                             "de no máximo 1 MB, com no máximo 48 níveis de aninhamento, textos "
                             "de no máximo 256 caracteres, tamanhos dados como inteiros "
                             "positivos)",
    "keras.file.class": "a configuração cita {name}, que não está entre as camadas e os "
                        "inicializadores nativos do Keras que o corretor carrega (uma camada "
                        "Lambda, uma classe própria ou um modelo subclassificado poderiam executar "
                        "código): construa o modelo com keras.Sequential ou keras.Model(inputs, "
                        "outputs) a partir de camadas nativas",
    "keras.file.data": "a configuração traz uma lista de {count} números, o que é dado (os pesos "
                       "ficam em model.weights.h5), não arquitetura",
    "keras.file.inputs": "o modelo tem {count} entradas, mas o esperado é uma: imagens de formato "
                         "(28, 28, 1)",
    "keras.file.input": "o modelo recebe entradas de formato {got}, mas o esperado é {expected}: o "
                        "corretor fornece as imagens de teste como no notebook, float32 "
                        "(N, 28, 28, 1) em [0, 1]; comece o modelo com "
                        "keras.Input(shape=(28, 28, 1))",
    "keras.file.output": "o modelo produz saídas de formato {got}, mas o esperado é {expected}: "
                         "uma pontuação por classe",
    "keras.file.unbuilt": "a camada {layer} foi salva antes de ser construída (não declara o "
                          "formato da entrada): salve o modelo depois de treiná-lo",
    "keras.file.params": "ele tem {params:,d} parâmetros, mais que os {limit:,d} que o corretor "
                         "carrega",
    "keras.file.load_failed": "{file}: o Keras não conseguiu carregar o modelo ou prever com ele "
                              "({error_type}: {message}), então esta verificação recebe 0: salve "
                              "de novo o modelo treinado com model.save(\"{file}\") e confira, como "
                              "o notebook faz, que keras.saving.load_model o recarrega.",
    "keras.file.too_slow": "{file}: carregar o modelo e prever as {n:,d} imagens de teste levou "
                           "mais de {timeout:g} s na CPU do corretor (uma CNN do tamanho das do "
                           "curso leva segundos), então esta verificação recebe 0.",
    "keras.file.no_data": "{function}: o corretor não tem aqui o conjunto de teste do {data} "
                          "({error}), então não pôde avaliar este arquivo: avise seu professor (a "
                          "instalação do corretor precisa dele; o problema não é o seu arquivo).",
})

# nbgrader courses (autograder/nbgrader) ---------------------------------------------------
TEXTS.update({
    "nbgrader.cell_score": "{group}: {score} / {points}, avaliada a partir de {files} como você o "
                           "entregou, fora deste notebook.",
    "nbgrader.all_passed.one": "A sua verificação passa.",
    "nbgrader.all_passed.other": "Todas as suas {count} verificações passam.",
    "nbgrader.not_graded": "Não avaliada ({reason}), então esta célula vale 0. Avise seu professor.",
    "nbgrader.no_grading_step": "a etapa de avaliação do cnn-autograder não rodou para este notebook "
                                "(falta autograder.nbgrader.trusted.GradeModules no "
                                "nbgrader_config.py)",
    "nbgrader.notes_title": "**cnn-autograder.** Seus pontos vêm dos seus arquivos como você os "
                            "entregou ({files}), avaliados fora deste notebook com entradas do "
                            "próprio corretor: o que o notebook imprime ou altera não conta. Cada "
                            "célula de teste abaixo mostra os pontos de uma função e o que corrigir.",
    "nbgrader.notes_intro": "Sobre o seu notebook:",
    "nbgrader.cell_missing": "A célula de teste de {group} estava faltando: ela foi recolocada no fim "
                             "do notebook. Os pontos vêm do seu arquivo do mesmo jeito; não apague "
                             "células de teste.",
    "nbgrader.cell_duplicated": "A célula de teste de {group} aparecia {count} vezes no notebook: só a "
                                "primeira é uma célula de teste, as cópias rodaram como células "
                                "comuns.",
    "nbgrader.cell_changed": "A célula de teste de {group} tinha sido editada: o original foi "
                             "restaurado (células de teste são bloqueadas).",
    "nbgrader.notebook_unreadable": "Seu notebook não pôde ser lido antes da avaliação ({reason}).",
    "nbgrader.kernel_died": "O kernel morreu ao rodar a célula de código {cell} (`{excerpt}`): ele foi "
                            "encerrado, travou ou ficou sem memória. As células seguintes não "
                            "rodaram.",
    "nbgrader.cell_timeout": "A célula de código {cell} (`{excerpt}`) rodou por mais de {limit:g} s, "
                             "então o notebook foi parado ali e as células seguintes não rodaram. "
                             "Procure um laço que nunca termina, ou lento demais.",
    "nbgrader.notebook_timeout": "O notebook rodou por mais de {limit:g} s no total, então foi parado "
                                 "na célula de código {cell} (`{excerpt}`).",
    "nbgrader.output_cut": "A célula de código {cell} (`{excerpt}`) imprimiu ou exibiu mais de "
                           "{limit:g} kB (ou o notebook passou do seu total): o resto da saída foi "
                           "descartado.",
    "nbgrader.not_run": "Seu notebook não pôde ser executado ({reason}).",
})
